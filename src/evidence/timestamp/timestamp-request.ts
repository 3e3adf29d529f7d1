import * as asn1js from 'asn1js';
import { createHash, randomBytes } from 'crypto';
import { pkijs } from '../../crypto/pkijs-engine';
import { TSA_HASH_OIDS, TsaHash } from './tsp.constants';

export interface TimestampRequest {
  der: Buffer;
  /** Minimal big-endian bytes of the positive nonce. */
  nonce: Buffer;
  imprint: Buffer;
}

const NONCE_BYTES = 16;

/** 127 random bits, positive and minimally encoded (first byte 0x01-0x7f). */
export function randomNonce(): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  nonce[0] = (nonce[0] & 0x7f) | 0x01;
  return nonce;
}

export function imprintOf(data: Buffer, hash: TsaHash): Buffer {
  return createHash(hash).update(data).digest();
}

/** A TimeStampReq v1 over the hash of `data`, with a fresh nonce and certReq so that the TSA sends its certificate. */
export function buildTimestampRequest(data: Buffer, hash: TsaHash, policy?: string): TimestampRequest {
  const imprint = imprintOf(data, hash);
  const nonce = randomNonce();
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: TSA_HASH_OIDS[hash] }),
      hashedMessage: new asn1js.OctetString({ valueHex: imprint }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonce }),
    certReq: true,
    ...(policy ? { reqPolicy: policy } : {}),
  });
  return { der: Buffer.from(request.toSchema().toBER()), nonce, imprint };
}
