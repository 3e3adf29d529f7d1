import { createHash } from 'crypto';

export function sm3(data: Uint8Array): Buffer {
  return createHash('sm3').update(data).digest();
}

export function sm3Hex(data: Uint8Array): string {
  return createHash('sm3').update(data).digest('hex');
}
