import { sm2 as smLib } from 'sm-crypto-v2';
import { DEFAULT_SM2_USER_ID } from './constants';
import { childrenOf, expectTag, readSingle, TAG, UNIVERSAL, valueOf } from './der';
import { CryptoError } from './errors';
import {
  normalizePrivateKeyHex,
  normalizePublicKeyHex,
  SM2_N,
  sm2Generator,
  sm2PublicKeyOf,
  sm2PublicPoint,
  sm2Z,
} from './sm2-keys';
import { sm3 } from './sm3';

/** e = SM3(Z || M): the value SM2 actually signs. */
function messageDigest(data: Uint8Array, publicKeyHex: string, userId: string): Buffer {
  return sm3(Buffer.concat([sm2Z(publicKeyHex, userId), data]));
}

export function sm2Sign(data: Buffer, privateKeyHex: string, userId: string = DEFAULT_SM2_USER_ID): Buffer {
  const privateHex = normalizePrivateKeyHex(privateKeyHex);
  const e = messageDigest(data, sm2PublicKeyOf(privateHex), userId);
  return Buffer.from(smLib.doSignature(e, privateHex, { der: true, hash: false }), 'hex');
}

function unsignedInteger(tlv: ReturnType<typeof readSingle>): bigint {
  const bytes = valueOf(expectTag(tlv, UNIVERSAL, TAG.INTEGER, 'INTEGER'));
  if (bytes.length === 0 || bytes.length > 33 || bytes[0] & 0x80) throw new CryptoError('MALFORMED', 'bad INTEGER');
  return BigInt(`0x${bytes.toString('hex')}`);
}

/** DER SEQUENCE { r, s }; a bare 64-byte r||s is accepted because some vendors send that. */
function signatureScalars(signature: Buffer): [bigint, bigint] | undefined {
  try {
    const parts = childrenOf(expectTag(readSingle(signature), UNIVERSAL, TAG.SEQUENCE, 'SEQUENCE'));
    if (parts.length === 2) return [unsignedInteger(parts[0]), unsignedInteger(parts[1])];
  } catch {
    // fall through to the raw form
  }
  if (signature.length !== 64) return undefined;
  return [
    BigInt(`0x${signature.subarray(0, 32).toString('hex')}`),
    BigInt(`0x${signature.subarray(32).toString('hex')}`),
  ];
}

/** GM/T 0003.2 verification, done here rather than in sm-crypto-v2 to use precomputed points and the faster non-constant-time multiply (all inputs are public). */
export function sm2Verify(
  data: Buffer,
  signatureDer: Buffer,
  publicKeyHex: string,
  userId: string = DEFAULT_SM2_USER_ID,
): boolean {
  try {
    const scalars = signatureScalars(signatureDer);
    if (!scalars) return false;
    const [r, s] = scalars;
    // Range checks also stop the malleable (r, s + n) form that the curve arithmetic alone would accept.
    if (r < 1n || r >= SM2_N || s < 1n || s >= SM2_N) return false;
    const t = (r + s) % SM2_N;
    if (t === 0n) return false;
    const key = normalizePublicKeyHex(publicKeyHex);
    const e = BigInt(`0x${messageDigest(data, key, userId).toString('hex')}`);
    const point = sm2Generator().multiply(s).add(sm2PublicPoint(key).multiplyUnsafe(t));
    if (point.is0()) return false;
    return (e + point.x) % SM2_N === r;
  } catch {
    return false;
  }
}

export function sm2GenerateKeyPair(): { privateKeyHex: string; publicKeyHex: string } {
  const { privateKey, publicKey } = smLib.generateKeyPairHex();
  return { privateKeyHex: privateKey.toLowerCase(), publicKeyHex: publicKey.toLowerCase() };
}

const C1C3C2 = 1;

export function sm2Encrypt(plaintext: Buffer, publicKeyHex: string): Buffer {
  const key = normalizePublicKeyHex(publicKeyHex);
  // sm-crypto-v2 leaves the 04 point-format byte off C1.
  return Buffer.from(`04${smLib.doEncrypt(plaintext, sm2PublicPoint(key), C1C3C2)}`, 'hex');
}

/** Raw C1C3C2 with the 04 prefix; the GM/T 0009 ASN.1 form (SEQUENCE x, y, C3, C2) is accepted too. */
export function sm2Decrypt(ciphertext: Buffer, privateKeyHex: string): Buffer {
  const privateHex = normalizePrivateKeyHex(privateKeyHex);
  let plain: Uint8Array | number[];
  try {
    if (ciphertext[0] === 0x30) {
      plain = smLib.doDecrypt(ciphertext.toString('hex'), privateHex, C1C3C2, { output: 'array', asn1: true });
    } else if (ciphertext[0] === 0x04 && ciphertext.length >= 97) {
      plain = smLib.doDecrypt(ciphertext.subarray(1).toString('hex'), privateHex, C1C3C2, { output: 'array' });
    } else {
      plain = [];
    }
  } catch {
    plain = [];
  }
  // sm-crypto-v2 signals a failed C3 check with a plain empty array rather than a Uint8Array.
  if (!(plain instanceof Uint8Array)) throw new CryptoError('DECRYPT_FAILED', 'SM2 decryption failed');
  return Buffer.from(plain);
}

export { sm3, sm3Hex } from './sm3';
