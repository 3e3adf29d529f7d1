import { cpus, loadavg, release, totalmem } from 'node:os';
import type { Measured } from './autocannon';

export interface Machine {
  node: string;
  platform: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  loadAverageAtStart: number[];
}

export function machine(): Machine {
  const list = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${release()} ${process.arch}`,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export interface Row extends Measured {
  ratioToHealth?: number;
  /** Cores each process used during the measured run. */
  cores?: Record<string, number>;
  /** Gateway CPU time over answered requests (warm-up included); a little high when requests were cut off at the end. */
  gatewayCpuMsPerRequest?: number;
}

export function table(rows: Row[]): string {
  const head = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'ratio to /health'];
  const body = rows.map((r) => [
    r.scenario,
    r.reqPerSec.toFixed(0),
    r.ok > 0 ? r.p50Ms.toFixed(1) : '-',
    r.ok > 0 ? r.p99Ms.toFixed(1) : '-',
    String(r.errors),
    r.ratioToHealth === undefined ? '-' : `${(r.ratioToHealth * 100).toFixed(1)} %`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    line(head),
    `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}

export function coresLine(row: Row): string {
  if (!row.cores) return '';
  const parts = Object.entries(row.cores).map(([name, used]) => `${name} ${used.toFixed(2)}`);
  const perRequest =
    row.gatewayCpuMsPerRequest === undefined
      ? ''
      : `; gateway CPU ${row.gatewayCpuMsPerRequest.toFixed(2)} ms per answer`;
  return `  ${row.scenario}: ${parts.join(', ')}${perRequest}`;
}

export function errorLines(rows: Row[]): string[] {
  return rows
    .filter((r) => r.errors > 0)
    .map((r) => {
      const failed = Object.entries(r.statusCodes).filter(([code]) => !code.startsWith('2'));
      const other = r.errors - failed.reduce((sum, [, n]) => sum + n, 0);
      const parts = [
        ...failed.map(([code, n]) => `HTTP ${code}: ${n}`),
        ...(other > 0 ? [`connection errors/timeouts: ${other}`] : []),
      ];
      return `  ${r.scenario}: ${parts.join(', ')}`;
    });
}
