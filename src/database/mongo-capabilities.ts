import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';

export interface MongoCapabilities {
  /** A duplicate insert on a unique index fails with E11000. */
  uniqueIndexes: boolean;
  /** Documents are removed by TTL indexes. */
  ttl: boolean;
  /** Multi-document transactions really roll back on abort. */
  transactions: boolean;
  /** Concurrent updates of one document are each applied (FerretDB v1 on SQLite loses some). */
  atomicUpdates: boolean;
}

export interface ServerFacts {
  product: 'mongodb' | 'ferretdb' | 'congodb' | 'mongo-java-server';
  version: string;
  replicaSet: boolean;
}

/** Learns what the server at the other end really is and can do, by asking it rather than trusting its name. */
export async function probeServer(
  conn: mongoose.Connection,
): Promise<ServerFacts & { capabilities: MongoCapabilities }> {
  const admin = conn.db!.admin();
  const build = (await admin.command({ buildInfo: 1 })) as Record<string, unknown>;
  const hello = await handshake(admin);
  const product = await productOf(admin, build);
  const replicaSet = typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
  const uniqueIndexes = await probeUniqueIndex(conn);
  const atomicUpdates = await probeAtomicUpdates(conn);
  return {
    product,
    version: String(build.version ?? 'unknown'),
    replicaSet,
    capabilities: {
      uniqueIndexes,
      // No emulator expires TTL documents (FerretDB v1 refuses the index, CongoDB and mongo-java-server ignore it).
      ttl: product === 'mongodb',
      transactions: product === 'mongodb' && replicaSet,
      atomicUpdates,
    },
  };
}

type Admin = ReturnType<NonNullable<mongoose.Connection['db']>['admin']>;

/** `hello` where it exists; mongo-java-server 1.47 knows only the legacy `isMaster` (same fields that matter here). */
async function handshake(admin: Admin): Promise<Record<string, unknown>> {
  try {
    return (await admin.command({ hello: 1 })) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: number }).code !== COMMAND_NOT_FOUND) throw error;
    return (await admin.command({ isMaster: 1 })) as Record<string, unknown>;
  }
}

const COMMAND_NOT_FOUND = 59;

/** Every MongoDB build reports its gitVersion; of the emulators only CongoDB fills it (with its name). */
async function productOf(admin: Admin, build: Record<string, unknown>): Promise<ServerFacts['product']> {
  if ('ferretdbVersion' in build) return 'ferretdb';
  if (build.gitVersion === 'congodb') return 'congodb';
  if (build.gitVersion !== undefined) return 'mongodb';
  const status = (await admin.command({ serverStatus: 1 }).catch(() => ({}))) as Record<string, unknown>;
  return status.process === 'java' ? 'mongo-java-server' : 'mongodb';
}

async function probeUniqueIndex(conn: mongoose.Connection): Promise<boolean> {
  const name = `capability_probe_${randomBytes(6).toString('hex')}`;
  const collection = conn.db!.collection(name);
  try {
    await collection.createIndex({ k: 1 }, { unique: true });
    await collection.insertOne({ k: 1 });
    await collection.insertOne({ k: 1 });
    return false;
  } catch (error) {
    return (error as { code?: number }).code === 11000;
  } finally {
    await collection.drop().catch(() => undefined);
  }
}

async function probeAtomicUpdates(conn: mongoose.Connection): Promise<boolean> {
  const collection = conn.db!.collection(`capability_probe_${randomBytes(6).toString('hex')}`);
  const parallel = 50;
  try {
    const { insertedId } = await collection.insertOne({ n: 0 });
    await Promise.all(
      Array.from({ length: parallel }, () => collection.updateOne({ _id: insertedId }, { $inc: { n: 1 } })),
    );
    return (await collection.findOne({ _id: insertedId }))?.n === parallel;
  } finally {
    await collection.drop().catch(() => undefined);
  }
}
