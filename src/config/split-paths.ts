import { delimiter } from 'node:path';

/** A list of file paths, separated by commas or the platform's PATH delimiter. */
export function splitPaths(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(new RegExp(`[,${delimiter}]`))
    .map((p) => p.trim())
    .filter(Boolean);
}
