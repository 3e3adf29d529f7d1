import * as asn1js from 'asn1js';
import { randomBytes } from 'crypto';
import { KeyAlgorithm } from '../../crypto/constants';
import { encodeTlv } from '../../crypto/der';
import { DIGEST_NAMES } from '../../crypto/oids';
import { pkijs } from '../../crypto/pkijs-engine';
import { TsaSimAuthority } from './tsa-sim.authority';
import { TsaSimFault } from './tsa-sim.faults';
import { randomSerial, signToken, SIM_TSA_POLICY } from './tsa-sim.signer';

// PKIFailureInfo bit numbers (RFC 3161 section 2.4.2).
const BAD_ALG = 0;
const BAD_DATA_FORMAT = 5;
const UNACCEPTED_POLICY = 15;
const SYSTEM_FAILURE = 25;

function failInfo(bit: number): asn1js.BitString {
  const bytes = new Uint8Array(Math.floor(bit / 8) + 1);
  bytes[Math.floor(bit / 8)] = 0x80 >> (bit % 8);
  return new asn1js.BitString({ valueHex: bytes, unusedBits: 7 - (bit % 8) });
}

function rejection(text: string, bit: number): Buffer {
  const status = new pkijs.PKIStatusInfo({
    status: 2,
    statusStrings: [new asn1js.Utf8String({ value: text })],
    failInfo: failInfo(bit),
  });
  return Buffer.from(new pkijs.TimeStampResp({ status }).toSchema().toBER());
}

const GRANTED_STATUS = Buffer.from(new pkijs.PKIStatusInfo({ status: 0 }).toSchema().toBER());

/** TimeStampResp { status, timeStampToken }, the token's bytes exactly as signed. */
function granted(token: Buffer): Buffer {
  return encodeTlv(0x30, GRANTED_STATUS, token);
}

function parseRequest(body: Buffer): pkijs.TimeStampReq | undefined {
  try {
    const asn = asn1js.fromBER(body);
    return asn.offset === body.length ? new pkijs.TimeStampReq({ schema: asn.result }) : undefined;
  } catch {
    return undefined;
  }
}

/** Answers one DER TimeStampReq as the TSA of `algorithm` would, bent by `fault` when one is given. */
export function respond(
  authority: TsaSimAuthority,
  algorithm: KeyAlgorithm,
  body: Buffer,
  now: Date,
  fault?: TsaSimFault,
): Buffer {
  if (fault?.kind === 'garbage') return randomBytes(64);
  if (fault?.kind === 'not-granted') return rejection('simulated rejection', SYSTEM_FAILURE);
  const request = parseRequest(body);
  if (!request) return rejection('not a TimeStampReq', BAD_DATA_FORMAT);
  if (!DIGEST_NAMES[request.messageImprint.hashAlgorithm.algorithmId]) return rejection('unsupported hash', BAD_ALG);
  if (request.reqPolicy && request.reqPolicy !== SIM_TSA_POLICY)
    return rejection('unaccepted policy', UNACCEPTED_POLICY);
  let nonce = request.nonce;
  if (nonce && fault?.kind === 'wrong-nonce') {
    const value = BigInt(`0x${Buffer.from(nonce.valueBlock.valueHexView).toString('hex')}`) + 1n;
    const hex = value.toString(16);
    nonce = new asn1js.Integer({ valueHex: Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex') });
  }
  const token = signToken(
    authority.tsas[algorithm],
    { messageImprint: request.messageImprint, nonce, genTime: now, includeCertificate: request.certReq ?? false },
    randomSerial(),
  );
  // The signature value is the token's last element; flipping its last byte keeps the DER well-formed.
  if (fault?.kind === 'bad-signature') token[token.length - 1] ^= 0x01;
  return granted(token);
}
