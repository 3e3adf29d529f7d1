/**
 * `npx ts-node --transpile-only bench/timestamp.ts [count]`: sequential RFC 3161 round trips against the in-process
 * TSA simulator (request, HTTP, every check) and offline re-verification of stored tokens, per algorithm.
 */
import { randomBytes } from 'crypto';
import { verifyStoredTimestamp } from '../src/evidence/timestamp';
import { TsaSimulator } from '../src/simulators/tsa';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 200);
  const sim = await TsaSimulator.start();
  try {
    for (const [algorithm, hash] of [
      ['SM2', 'sm3'],
      ['RSA', 'sha256'],
    ] as const) {
      const client = sim.client(algorithm, { hash });
      const signature = randomBytes(72);
      await client.timestamp(signature);
      const latencies: number[] = [];
      let token: Buffer | undefined;
      const started = process.hrtime.bigint();
      for (let i = 0; i < count; i++) {
        const t0 = process.hrtime.bigint();
        const result = await client.timestamp(signature);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (!result.ok) throw new Error(result.failure.message);
        token = result.token.tokenDer;
      }
      const roundTripSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      latencies.sort((a, b) => a - b);
      const verifyStarted = process.hrtime.bigint();
      for (let i = 0; i < count; i++) {
        const result = await verifyStoredTimestamp(token as Buffer, {
          data: signature,
          trustedRoots: sim.trustedRoots,
        });
        if (!result.ok) throw new Error(result.failure.message);
      }
      const verifySeconds = Number(process.hrtime.bigint() - verifyStarted) / 1e9;
      const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
      process.stdout.write(
        `${algorithm}/${hash}: ${count} round trips (client + simulator in one process) ${(count / roundTripSeconds).toFixed(0)}/s, ` +
          `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms; stored-token verification ${(count / verifySeconds).toFixed(0)}/s\n`,
      );
    }
  } finally {
    await sim.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
