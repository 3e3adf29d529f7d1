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
  product: 'mongodb' | 'ferretdb' | 'congodb';
  version: string;
  replicaSet: boolean;
}

/** Learns what the server at the other end really is and can do, by asking it rather than trusting its name. */
export async function probeServer(
  conn: mongoose.Connection,
): Promise<ServerFacts & { capabilities: MongoCapabilities }> {
  const admin = conn.db!.admin();
  const build = (await admin.command({ buildInfo: 1 })) as Record<string, unknown>;
  const hello = (await admin.command({ hello: 1 })) as Record<string, unknown>;
  const product = 'ferretdbVersion' in build ? 'ferretdb' : build.gitVersion === 'congodb' ? 'congodb' : 'mongodb';
  const replicaSet = typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
  const uniqueIndexes = await probeUniqueIndex(conn);
  const atomicUpdates = await probeAtomicUpdates(conn);
  return {
    product,
    version: String(build.version ?? 'unknown'),
    replicaSet,
    capabilities: {
      uniqueIndexes,
      // Neither emulator expires TTL documents (FerretDB v1 refuses the index, CongoDB ignores it).
      ttl: product === 'mongodb',
      transactions: product === 'mongodb' && replicaSet,
      atomicUpdates,
    },
  };
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
