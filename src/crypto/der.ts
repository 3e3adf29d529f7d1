import { CryptoError } from './errors';

/** One BER/DER element, addressed by offsets into the buffer it was read from (no copies). */
export interface Tlv {
  readonly buf: Buffer;
  readonly tagClass: number;
  readonly constructed: boolean;
  readonly tagNumber: number;
  readonly start: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly end: number;
}

export const UNIVERSAL = 0;
export const CONTEXT = 2;
export const TAG = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  SEQUENCE: 16,
  SET: 17,
} as const;

const MAX_DEPTH = 40;

function malformed(message: string): CryptoError {
  return new CryptoError('MALFORMED', `ASN.1: ${message}`);
}

/** Reads one element at `offset`; indefinite lengths (BER, as some Java CMS encoders emit) are supported. */
export function readTlv(buf: Buffer, offset = 0, limit = buf.length, depth = 0): Tlv {
  if (depth > MAX_DEPTH) throw malformed('nesting too deep');
  let pos = offset;
  if (pos >= limit) throw malformed('truncated identifier');
  const first = buf[pos++];
  const tagClass = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let tagNumber = first & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    let byte: number;
    do {
      if (pos >= limit || tagNumber > 0xffffff) throw malformed('bad tag number');
      byte = buf[pos++];
      tagNumber = tagNumber * 128 + (byte & 0x7f);
    } while (byte & 0x80);
  }
  if (pos >= limit) throw malformed('truncated length');
  const lengthByte = buf[pos++];
  if (lengthByte === 0x80) {
    if (!constructed) throw malformed('indefinite length on a primitive');
    const valueStart = pos;
    for (;;) {
      if (pos + 2 > limit) throw malformed('missing end-of-contents');
      if (buf[pos] === 0 && buf[pos + 1] === 0) {
        return { buf, tagClass, constructed, tagNumber, start: offset, valueStart, valueEnd: pos, end: pos + 2 };
      }
      pos = readTlv(buf, pos, limit, depth + 1).end;
    }
  }
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count > 4 || pos + count > limit) throw malformed('bad length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[pos++];
  }
  const end = pos + length;
  if (end > limit) throw malformed('length beyond end of data');
  return { buf, tagClass, constructed, tagNumber, start: offset, valueStart: pos, valueEnd: end, end };
}

/** Parses a buffer that must hold exactly one element. */
export function readSingle(buf: Buffer): Tlv {
  const tlv = readTlv(buf);
  if (tlv.end !== buf.length) throw malformed('trailing bytes');
  return tlv;
}

export function childrenOf(tlv: Tlv): Tlv[] {
  if (!tlv.constructed) throw malformed('expected a constructed element');
  const out: Tlv[] = [];
  for (let pos = tlv.valueStart; pos < tlv.valueEnd;) {
    const child = readTlv(tlv.buf, pos, tlv.valueEnd);
    out.push(child);
    pos = child.end;
  }
  return out;
}

export function valueOf(tlv: Tlv): Buffer {
  return tlv.buf.subarray(tlv.valueStart, tlv.valueEnd);
}

export function rawOf(tlv: Tlv): Buffer {
  return tlv.buf.subarray(tlv.start, tlv.end);
}

export function isTag(tlv: Tlv | undefined, tagClass: number, tagNumber: number): tlv is Tlv {
  return tlv !== undefined && tlv.tagClass === tagClass && tlv.tagNumber === tagNumber;
}

export function expectTag(tlv: Tlv | undefined, tagClass: number, tagNumber: number, what: string): Tlv {
  if (!isTag(tlv, tagClass, tagNumber)) throw malformed(`expected ${what}`);
  return tlv;
}

export function expectChildren(tlv: Tlv | undefined, tagNumber: number, what: string): Tlv[] {
  return childrenOf(expectTag(tlv, UNIVERSAL, tagNumber, what));
}

export function oidOf(tlv: Tlv): string {
  const bytes = valueOf(expectTag(tlv, UNIVERSAL, TAG.OID, 'OBJECT IDENTIFIER'));
  if (bytes.length === 0 || bytes[bytes.length - 1] & 0x80) throw malformed('bad OBJECT IDENTIFIER');
  const arcs: string[] = [];
  let value = 0n;
  for (const byte of bytes) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (byte & 0x80) continue;
    if (arcs.length === 0) {
      const first = value < 40n ? 0n : value < 80n ? 1n : 2n;
      arcs.push(first.toString(), (value - first * 40n).toString());
    } else {
      arcs.push(value.toString());
    }
    value = 0n;
  }
  return arcs.join('.');
}

/** OCTET STRING content; BER encoders may split it into a constructed string of segments. */
export function octetStringOf(tlv: Tlv): Buffer {
  expectTag(tlv, UNIVERSAL, TAG.OCTET_STRING, 'OCTET STRING');
  if (!tlv.constructed) return valueOf(tlv);
  return Buffer.concat(childrenOf(tlv).map(octetStringOf));
}

/** BIT STRING content without the unused-bits byte (keys and signatures always use whole bytes). */
export function bitStringOf(tlv: Tlv): Buffer {
  const value = valueOf(expectTag(tlv, UNIVERSAL, TAG.BIT_STRING, 'BIT STRING'));
  if (tlv.constructed || value.length === 0) throw malformed('bad BIT STRING');
  return value.subarray(1);
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** DER element with a one-byte identifier (e.g. 0x30 SEQUENCE, 0x31 SET, 0xa0 [0] constructed) around `parts`. */
export function encodeTlv(identifier: number, ...parts: Buffer[]): Buffer {
  const value = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([identifier]), encodeLength(value.length), value]);
}
