import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

const SIZE = 96;

/**
 * A small red seal as a real PNG (ring, star, and a pattern derived from the owner's name, so seals differ),
 * base64-encoded. Made by hand to keep the simulators free of image libraries.
 */
export function sealImagePng(owner: string): string {
  const seed = createHash('sha256').update(owner).digest();
  const rows: Buffer[] = [];
  const c = (SIZE - 1) / 2;
  for (let y = 0; y < SIZE; y++) {
    const row = Buffer.alloc(1 + SIZE * 4);
    for (let x = 0; x < SIZE; x++) {
      const r = Math.hypot(x - c, y - c);
      const ring = r > c - 6 && r <= c - 1;
      const star = r < c * 0.35 && starContains(x - c, y - c, c * 0.35);
      const cell = seed[(Math.floor(y / 8) * 12 + Math.floor(x / 8)) % seed.length];
      const text = r < c - 12 && r > c * 0.45 && (cell >> ((x + y) % 8)) & 1;
      const on = ring || star || text;
      row.writeUInt32BE(on ? 0xd0141eff : 0x00000000, 1 + x * 4);
    }
    rows.push(row);
  }
  return png(SIZE, SIZE, Buffer.concat(rows)).toString('base64');
}

function starContains(dx: number, dy: number, radius: number): boolean {
  const angle = Math.atan2(dy, dx) + Math.PI / 2;
  const spike = Math.abs(Math.cos((angle * 5) / 2));
  return Math.hypot(dx, dy) < radius * (0.45 + 0.55 * spike);
}

function png(width: number, height: number, rgbaRows: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rgbaRows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
