/**
 * `npm run bench:platform`: the same minimal Nest 11 app on Fastify and on Express, each in its own process, measured
 * one after the other with autocannon (GET /health and POST /echo through a ValidationPipe DTO).
 *
 *   BENCH_SECONDS (10)  BENCH_WARMUP_SECONDS (2)  BENCH_CONNECTIONS (50)  BENCH_ROUNDS (2: F E F E, to even out noise)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, Measured } from './autocannon';
import { firstLine, freePort, killAllNow, spawnChild, stopAll, stopChild } from './processes';

const SECONDS = Number(process.env.BENCH_SECONDS) || 10;
const WARMUP_SECONDS = process.env.BENCH_WARMUP_SECONDS === undefined ? 2 : Number(process.env.BENCH_WARMUP_SECONDS);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS) || 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 2;
const PLATFORMS = ['fastify', 'express'] as const;
const ECHO_BODY = JSON.stringify({ nurse: '王护士 N0101', count: 3, tags: ['夜班', 'ICU'] });

interface Row extends Measured {
  platform: string;
  route: string;
  round: number;
}

async function measurePlatform(platform: string, round: number, logDir: string): Promise<Row[]> {
  const port = await freePort();
  const child = spawnChild(
    `${platform}-${round}`,
    ['-r', 'ts-node/register/transpile-only', 'bench/platform-app.ts', platform, String(port)],
    {
      env: { ...process.env, NODE_ENV: 'production' },
      logDir,
      pipeStdout: true,
    },
  );
  try {
    await firstLine(child, 60_000);
    const url = `http://127.0.0.1:${port}`;
    const base = { url, connections: CONNECTIONS, duration: SECONDS };
    const health = await measure(
      `${platform} GET /health`,
      { ...base, method: 'GET', requests: [{ path: '/health' }] },
      WARMUP_SECONDS,
    );
    const echo = await measure(
      `${platform} POST /echo`,
      {
        ...base,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: ECHO_BODY,
        requests: [{ path: '/echo' }],
      },
      WARMUP_SECONDS,
    );
    return [
      { ...health, platform, route: 'GET /health', round },
      { ...echo, platform, route: 'POST /echo (ValidationPipe DTO)', round },
    ];
  } finally {
    await stopChild(child);
  }
}

function table(rows: Row[]): string {
  const head = ['platform', 'route', 'round', 'req/s', 'p50 ms', 'p99 ms', 'errors'];
  const body = rows.map((r) => [
    r.platform,
    r.route,
    String(r.round),
    r.reqPerSec.toFixed(0),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    String(r.errors),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 2 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...body.map(line)].join('\n');
}

function versions(): string {
  return [
    '@nestjs/core',
    '@nestjs/platform-fastify',
    'fastify',
    '@nestjs/platform-express',
    'express',
    'class-validator',
    'autocannon',
  ]
    .map((name) => {
      try {
        return `${name} ${(require(`${name}/package.json`) as { version: string }).version}`;
      } catch {
        return `${name} ?`;
      }
    })
    .join(', ');
}

async function main(): Promise<void> {
  const logDir = mkdtempSync(join(tmpdir(), 'mnis-bench-platform-'));
  const loadAtStart = loadavg();
  const rows: Row[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const platform of PLATFORMS) {
        process.stderr.write(`[bench:platform] round ${round}: ${platform} ...\n`);
        rows.push(...(await measurePlatform(platform, round, logDir)));
      }
    }
  } finally {
    await stopAll();
  }
  rmSync(logDir, { recursive: true, force: true });

  const mean = (platform: string, route: string, pick: (r: Row) => number) => {
    const picked = rows.filter((r) => r.platform === platform && r.route === route).map(pick);
    return picked.reduce((a, b) => a + b, 0) / picked.length;
  };
  const out = ['', table(rows), ''];
  for (const route of ['GET /health', 'POST /echo (ValidationPipe DTO)']) {
    const f = mean('fastify', route, (r) => r.reqPerSec);
    const e = mean('express', route, (r) => r.reqPerSec);
    const fp99 = mean('fastify', route, (r) => r.p99Ms);
    const ep99 = mean('express', route, (r) => r.p99Ms);
    out.push(
      `${route}: Fastify ${f.toFixed(0)} req/s vs Express ${e.toFixed(0)} req/s (mean of ${ROUNDS}) = ${(f / e).toFixed(2)}x; ` +
        `p99 ${fp99.toFixed(1)} vs ${ep99.toFixed(1)} ms`,
    );
  }
  const cpu = cpus();
  out.push(
    '',
    `${CONNECTIONS} connections, ${SECONDS} s per measurement after ${WARMUP_SECONDS} s warm-up; each app in its own process, logging off`,
    `node ${process.version}; ${cpu[0]?.model.trim()} x ${cpu.length} cores (autocannon and the app share them); ` +
      `load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')} at start, ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at end`,
    `versions: ${versions()}`,
    `date: ${new Date().toISOString()}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
process.on('exit', killAllNow);
main().catch((error: Error) => {
  process.stderr.write(`[bench:platform] FAILED: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
