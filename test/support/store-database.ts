import { randomBytes } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import mongoose, { Connection, Model, Schema } from 'mongoose';
import { MongoEngine, selectMongoEngine } from '../../src/database/mongo-engine';
import type { VerifiedSignature } from '../../src/ca/ca.types';
import { DomainEvent, EventBus } from '../../src/events';
import { startCongoProcess } from './congodb-process';

export interface StoreDatabase {
  engine: MongoEngine;
  connection: Connection;
  /** A model with its indexes built, as the application registers it. */
  model<T>(name: string, schema: Schema<T>): Promise<mongoose.Model<T>>;
  close(): Promise<void>;
}

/**
 * A real engine for a store spec, in a database of its own, dropped at the end: MONGODB_URI when set (as in CI), else
 * the embedded CongoDB, in a child process because Jest's module loader cannot load its ES modules in-process.
 */
export async function startStoreDatabase(): Promise<StoreDatabase> {
  const congo = process.env.MONGODB_URI ? undefined : await startCongoProcess();
  const engine = await selectMongoEngine({
    uri: process.env.MONGODB_URI || congo!.uri,
    log: { log: () => undefined, warn: (message) => process.stderr.write(`${message}\n`) },
  });
  const connection = await mongoose
    .createConnection(engine.uri, { ...engine.clientOptions, dbName: `store_${randomBytes(5).toString('hex')}` })
    .asPromise();
  return {
    engine,
    connection,
    model: async <T>(name: string, schema: Schema<T>) => {
      const model = connection.model<T>(name, schema);
      await model.init();
      return model;
    },
    close: async () => {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
      await engine.stop();
      await congo?.kill();
    },
  };
}

/** Every event a bus delivers, collected once its listeners have run. */
export function recordEvents(bus: EventBus): { take(): Promise<DomainEvent[]> } {
  let seen: DomainEvent[] = [];
  bus.onAny((event) => void seen.push(event));
  return {
    take: async () => {
      await setImmediate();
      const taken = seen;
      seen = [];
      return taken;
    },
  };
}

export interface StoreSpec<T, S> {
  db: StoreDatabase;
  model: Model<T>;
  bus: EventBus;
  store: S;
  events: ReturnType<typeof recordEvents>;
}

/** The hooks of a store spec: one database per spec file, a fresh store, bus and event record per test. */
export function describeStore<T, S>(
  name: string,
  schema: Schema<T>,
  create: (model: Model<T>, bus: EventBus) => S,
): StoreSpec<T, S> {
  const spec = {} as StoreSpec<T, S>;
  beforeAll(async () => {
    spec.db = await startStoreDatabase();
    spec.model = await spec.db.model(name, schema);
  });
  afterAll(() => spec.db?.close());
  beforeEach(() => {
    spec.bus = new EventBus();
    spec.store = create(spec.model, spec.bus);
    spec.events = recordEvents(spec.bus);
  });
  return spec;
}

/** What a store keeps of a verified signature (the store itself never verifies). */
export const STORED_SIGNATURE = {
  format: 'SM2_DER',
  signature: 'MIIBsig==',
  certificate: {
    der: Buffer.from('cert'),
    serialNumber: '0A1B',
    subject: 'CN=Nurse',
    issuer: 'CN=Test CA',
    notBefore: new Date('2026-01-01'),
    notAfter: new Date('2027-01-01'),
    keyAlgorithm: 'SM2',
    fingerprintSm3: 'f'.repeat(64),
  },
} satisfies VerifiedSignature;
