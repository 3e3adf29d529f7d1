import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { MongoCapabilities, probeServer, ServerFacts } from './mongo-capabilities';

export type MongoEngineKind = 'external' | 'testcontainers' | 'memory-server' | 'congodb';

export interface MongoEngine {
  kind: MongoEngineKind;
  uri: string;
  /** True for engines started inside this process tree, which are never for production. */
  embedded: boolean;
  server: ServerFacts;
  capabilities: MongoCapabilities;
  /** Options every client of this engine must pass (CongoDB breaks under the streaming heartbeat). */
  clientOptions: mongoose.ConnectOptions;
  describe(): string;
  stop(): Promise<void>;
}

export interface EngineLog {
  log(message: string): void;
  warn(message: string): void;
}

const EXTERNAL_TIMEOUT_MS = 10_000;

/**
 * Chooses the database engine: the configured URI (failing loudly when unreachable), else the first embedded engine
 * that can run on this machine: testcontainers, mongodb-memory-server with a binary present, then CongoDB in memory.
 */
export async function selectMongoEngine(options: { uri?: string; log: EngineLog }): Promise<MongoEngine> {
  if (options.uri) return describeExternal(options.uri);
  const starters: [string, () => Promise<MongoEngine | undefined>][] = [
    ['testcontainers', startTestcontainers],
    ['mongodb-memory-server', startMemoryServer],
    ['congodb', startCongo],
  ];
  for (const [name, start] of starters) {
    try {
      const engine = await start();
      if (engine) return engine;
      options.log.log(`MongoDB engine ${name}: not available on this machine, trying the next`);
    } catch (error) {
      options.log.warn(`MongoDB engine ${name} failed to start (${(error as Error).message}); trying the next`);
    }
  }
  throw new Error('No MongoDB engine could be started: set MONGODB_URI');
}

async function describeExternal(uri: string): Promise<MongoEngine> {
  const facts = await probe(uri, { serverMonitoringMode: 'poll' }).catch((error: Error) => {
    throw new Error(`MONGODB_URI is set but the server cannot be reached: ${error.message}`);
  });
  const clientOptions: mongoose.ConnectOptions = facts.product === 'congodb' ? { serverMonitoringMode: 'poll' } : {};
  return engine('external', uri, false, facts, clientOptions, async () => undefined);
}

async function startTestcontainers(): Promise<MongoEngine | undefined> {
  if (!dockerMayAnswer()) return undefined;
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const container = await new MongoDBContainer('mongo:7').start();
  const uri = `${container.getConnectionString()}/?directConnection=true`;
  const clientOptions = {};
  return engine('testcontainers', uri, true, await probe(uri, clientOptions), clientOptions, async () => {
    await container.stop();
  });
}

async function startMemoryServer(): Promise<MongoEngine | undefined> {
  if (!mongodBinaryPresent()) return undefined;
  process.env.MONGOMS_RUNTIME_DOWNLOAD = 'false';
  const { MongoMemoryReplSet } = await import('mongodb-memory-server-core');
  const replSet = await MongoMemoryReplSet.create({ replSet: { count: 1 } });
  const uri = replSet.getUri();
  const clientOptions = {};
  return engine('memory-server', uri, true, await probe(uri, clientOptions), clientOptions, async () => {
    await replSet.stop();
  });
}

async function startCongo(): Promise<MongoEngine | undefined> {
  // An ES module: loaded with require() (Node >= 20.19) so that this file stays CommonJS.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CongoServer } = require('@push.rocks/smartmongo/dist_ts/congodb/index.js');
  const port = await freePort();
  const server = new CongoServer({ host: '127.0.0.1', port, storage: 'memory' });
  await server.start();
  const uri: string = server.getConnectionUri();
  const clientOptions: mongoose.ConnectOptions = { serverMonitoringMode: 'poll' };
  return engine('congodb', uri, true, await probe(uri, clientOptions), clientOptions, () => server.stop());
}

function engine(
  kind: MongoEngineKind,
  uri: string,
  embedded: boolean,
  facts: ServerFacts & { capabilities: MongoCapabilities },
  clientOptions: mongoose.ConnectOptions,
  stop: () => Promise<void>,
): MongoEngine {
  const { capabilities, ...server } = facts;
  return {
    kind,
    uri,
    embedded,
    server,
    capabilities,
    clientOptions,
    stop,
    describe: () => {
      const can = Object.entries(capabilities)
        .map(([name, yes]) => `${name}:${yes ? 'yes' : 'NO'}`)
        .join(' ');
      return `${kind} (${server.product} ${server.version}${server.replicaSet ? ', replica set' : ''}; ${can})`;
    },
  };
}

async function probe(uri: string, clientOptions: mongoose.ConnectOptions) {
  const conn = await mongoose
    .createConnection(uri, {
      ...clientOptions,
      dbName: 'mnis_engine_probe',
      serverSelectionTimeoutMS: EXTERNAL_TIMEOUT_MS,
    })
    .asPromise();
  try {
    return await probeServer(conn);
  } finally {
    await conn.close();
  }
}

function dockerMayAnswer(): boolean {
  return Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}

function mongodBinaryPresent(): boolean {
  if (process.env.MONGOMS_SYSTEM_BINARY) return existsSync(process.env.MONGOMS_SYSTEM_BINARY);
  const cache = process.env.MONGOMS_DOWNLOAD_DIR ?? join(homedir(), '.cache', 'mongodb-binaries');
  return existsSync(cache) && readdirSync(cache).some((name) => name.startsWith('mongod'));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
