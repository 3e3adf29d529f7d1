import type { AnhuiSimFields } from './anhui-sim.service';

/** Query string and body (form or JSON) merged, body winning, every value as a string; objects are re-serialised. */
export function requestFields(query: unknown, body: unknown): AnhuiSimFields {
  const fields: Record<string, string | undefined> = {};
  for (const source of [query, body]) {
    if (!source || typeof source !== 'object') continue;
    for (const [key, value] of Object.entries(source)) fields[key] = asString(value);
  }
  return fields;
}

function asString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
