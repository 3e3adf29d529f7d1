import { sm2 as smLib } from 'sm-crypto-v2';
import { CryptoError } from './errors';
import { LruCache } from './lru';
import { sm3Hex } from './sm3';

export type Sm2Point = ReturnType<typeof smLib.precomputePublicKey>;

/** Order of the SM2 base point. */
export const SM2_N = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');

// Window 4 costs ~36 KB and ~11 ms per key and triples verify speed; window 8 would be ~460 KB and ~90 ms.
const KEY_WINDOW = 4;
const CACHE_SIZE = 1000;

interface KeyEntry {
  point: Sm2Point;
  precomputed: boolean;
}

const points = new LruCache<string, KeyEntry>(CACHE_SIZE);
const zValues = new LruCache<string, Buffer>(CACHE_SIZE * 2);
const publicKeysByPrivate = new LruCache<string, string>(CACHE_SIZE);
let generator: Sm2Point | undefined;

/** The base point with its own window-8 table, so that s*G costs a few dozen additions. */
export function sm2Generator(): Sm2Point {
  generator ??= smLib.precomputePublicKey(smLib.getPublicKeyFromPrivateKey('1'.padStart(64, '0')), 8);
  return generator;
}

/** Checks the point is on the curve. The generator's constructor is noble's Point class. */
function pointFromHex(hex: string): Sm2Point {
  const Point = sm2Generator().constructor as unknown as { fromHex(hex: string): Sm2Point };
  return Point.fromHex(hex);
}

/** Lower-case uncompressed '04…' form; 128 hex digits without the prefix are accepted too. */
export function normalizePublicKeyHex(publicKeyHex: string): string {
  const hex = publicKeyHex.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) throw new CryptoError('INVALID_KEY', 'SM2 public key is not hex');
  if (hex.length === 128) return `04${hex}`;
  if (hex.length === 130 && hex.startsWith('04')) return hex;
  if (hex.length === 66 && (hex.startsWith('02') || hex.startsWith('03'))) {
    return pointFromHex(hex).toHex(false);
  }
  throw new CryptoError('INVALID_KEY', 'SM2 public key has the wrong length');
}

/**
 * The curve point of a public key. A key seen once gets a plain point (one-off verifications stay cheap);
 * from its second use on it gets a precomputed table.
 */
export function sm2PublicPoint(normalizedHex: string): Sm2Point {
  const entry = points.get(normalizedHex);
  if (!entry) {
    const point = pointFromHex(normalizedHex);
    points.set(normalizedHex, { point, precomputed: false });
    return point;
  }
  if (!entry.precomputed) {
    entry.point = smLib.precomputePublicKey(normalizedHex, KEY_WINDOW);
    entry.precomputed = true;
  }
  return entry.point;
}

/** Z = SM3(ENTL || ID || a || b || Gx || Gy || Px || Py) from GM/T 0003.2. */
export function sm2Z(normalizedHex: string, userId: string): Buffer {
  const key = `${userId}\u0000${normalizedHex}`;
  let z = zValues.get(key);
  if (!z) {
    z = Buffer.from(smLib.getZ(normalizedHex, userId));
    zValues.set(key, z);
  }
  return z;
}

export function normalizePrivateKeyHex(privateKeyHex: string): string {
  const hex = privateKeyHex.trim().toLowerCase();
  if (!/^[0-9a-f]{1,64}$/.test(hex))
    throw new CryptoError('INVALID_KEY', 'SM2 private key must be up to 64 hex digits');
  const d = BigInt(`0x${hex}`);
  if (d < 1n || d > SM2_N - 2n) throw new CryptoError('INVALID_KEY', 'SM2 private key out of range');
  return hex.padStart(64, '0');
}

/** Keyed by a hash so that the cache never holds private keys itself. */
export function sm2PublicKeyOf(normalizedPrivateHex: string): string {
  const key = sm3Hex(Buffer.from(normalizedPrivateHex, 'latin1'));
  let pub = publicKeysByPrivate.get(key);
  if (!pub) {
    pub = smLib.getPublicKeyFromPrivateKey(normalizedPrivateHex).toLowerCase();
    publicKeysByPrivate.set(key, pub);
  }
  return pub;
}
