import { EngineProcess, EngineProcessName } from '../../tools/engine-process';

/** Engines that keep their data in files, so that a restart can be tested: FerretDB (SQLite), mongo-java-server (H2). */
const RESTARTABLE: Record<string, EngineProcessName> = {
  ferretdb: 'ferretdb',
  'mongo-java-server': 'mongo-java-server-h2',
};

/** The engine named by MNIS_RESTART_ENGINE, if any (the restart specs skip visibly without one). */
export function restartableEngineName(): EngineProcessName | undefined {
  const name = process.env.MNIS_RESTART_ENGINE;
  if (name === undefined || name === '') return undefined;
  if (name in RESTARTABLE) return RESTARTABLE[name];
  throw new Error(`MNIS_RESTART_ENGINE must be one of ${Object.keys(RESTARTABLE).join(', ')}, not '${name}'`);
}

export function startRestartableEngine(name: EngineProcessName): Promise<EngineProcess> {
  return EngineProcess.start(name, { restartable: true });
}

/** `it` when MNIS_RESTART_ENGINE names an engine, else a visibly skipped test whose name says why. */
export function itWithRestartableEngine(name: string, fn: jest.ProvidesCallback, timeout?: number): void {
  if (restartableEngineName()) it(name, fn, timeout);
  else
    it.skip(
      `${name} [SKIPPED: no restartable engine; set MNIS_RESTART_ENGINE=ferretdb or mongo-java-server]`,
      fn,
      timeout,
    );
}
