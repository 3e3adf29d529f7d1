import { createHash, createHmac, randomBytes } from 'node:crypto';
import { sm3Hex } from '../../crypto';

/**
 * Per-login secrets: the handle a PC receives for its login, signing job or operation, and the token it signs with.
 * Only their SHA-256 is stored, so a database reader cannot use them; none of them is in a QR code.
 */

/** 192 random bits, URL-safe (32 characters of base64url, within the id pattern). */
export function newHandle(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * A secret that only the holder of `parent` can compute (HMAC-SHA-256 keyed by it): the msspId token of a login from
 * its handle, a signing job's handle from the token. The same parent always gives the same secret, so it can be handed
 * out again (every getSignResult) without being stored.
 */
export function deriveSecret(parent: string, purpose: string): string {
  return createHmac('sha256', parent).update(purpose).digest('base64url');
}

/** What the database keeps of a handle or token. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A short reference for events and logs: 8 hex digits of a SHA-256 (a handle) or of an SM3 (a vendor user id). */
export function secretRef(secret: string): string {
  return secretHash(secret).slice(0, 8);
}

export function vendorUserRef(vendorUserId: string): string {
  return sm3Hex(Buffer.from(vendorUserId, 'utf8')).slice(0, 8);
}

export const TOKEN_PURPOSE = 'msspId';
export const signJobPurpose = (vendorJobId: string) => `sign-job:${vendorJobId}`;
