import type { Schema } from 'mongoose';

export type Direction = 1 | -1;

/** A query the gateway runs often, described by how it uses its fields. */
export interface HotQuery {
  name: string;
  /** Fields matched by equality (or `$in`), which the index must lead with, in any order. */
  equality: string[];
  /** Fields matched by range, after the equality fields; the first must follow them in the index. */
  range?: string[];
  /** The sort, which must follow the equality fields in the index, in order (or all reversed). */
  sort?: Record<string, Direction>;
  /** Filter fields left out of the index on purpose, each with the reason (they barely narrow the result). */
  residual?: Record<string, string>;
}

/** The declared index (field-level and schema-level) that serves `query` without a scan or an in-memory sort. */
export function coveringIndex(schema: Schema, query: HotQuery): Record<string, unknown> | undefined {
  const declared = [{ _id: 1 }, ...schema.indexes().map(([key]) => key as Record<string, unknown>)];
  return declared.find((key) => covers(key, query));
}

function covers(key: Record<string, unknown>, query: HotQuery): boolean {
  const fields = Object.entries(key);
  const lead = new Set(fields.slice(0, query.equality.length).map(([name]) => name));
  if (query.equality.length > 0 && !query.equality.every((name) => lead.has(name))) return false;
  const rest = fields.slice(query.equality.length);
  if (query.sort) {
    const sort = Object.entries(query.sort);
    const next = rest.slice(0, sort.length);
    if (next.length < sort.length) return false;
    const same = sort.every(([name, dir], i) => next[i][0] === name && next[i][1] === dir);
    const reversed = sort.every(([name, dir], i) => next[i][0] === name && next[i][1] === -dir);
    return same || reversed;
  }
  if (query.range?.length) return rest[0]?.[0] === query.range[0];
  return query.equality.length > 0;
}
