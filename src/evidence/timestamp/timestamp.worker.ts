import { workerData } from 'piscina';
import { parseCertificate } from '../../crypto/certificate';
import { TimestampClient } from './timestamp.client';
import type { TimestampWorkerData } from './threaded-timestamp.client';
import { TimestampResult } from './timestamp.types';

const { rootDers, ...options } = workerData as TimestampWorkerData;
const client = new TimestampClient({
  ...options,
  trustedRoots: rootDers.map((der) => parseCertificate(Buffer.from(der))),
});

/** One TSA exchange and every check of its answer, in a worker thread. */
export default function timestamp(data: Uint8Array): Promise<TimestampResult> {
  return client.timestamp(Buffer.from(data));
}
