import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minVersion, satisfies } from 'semver';

const root = join(__dirname, '..', '..');
const readJson = (name: string) => JSON.parse(readFileSync(join(root, name), 'utf8'));

/** `npm ci` warns (EBADENGINE) for every locked package whose `engines.node` the running Node does not meet. */
describe('the Node version package.json states', () => {
  const stated: string = readJson('package.json').engines.node;
  const lowest = minVersion(stated)!.version;
  const locked = Object.entries(
    readJson('package-lock.json').packages as Record<string, { engines?: { node?: string } }>,
  )
    .filter(([path, entry]) => path !== '' && entry.engines?.node)
    .map(([path, entry]) => ({ path, wants: entry.engines!.node! }));

  it.each([lowest, process.versions.node])('is accepted by every locked dependency on Node %s', (version) => {
    expect(satisfies(version, stated)).toBe(true);
    expect(locked.filter(({ wants }) => !satisfies(version, wants))).toEqual([]);
  });
});
