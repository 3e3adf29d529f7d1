import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { fileVariable, SECRET_VARIABLES } from './secret-files';

const root = join(__dirname, '..', '..');
const ENV_NAME = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
/** A class property declared as an environment variable: `  NAME?: type;` under validation decorators. */
const DECLARATION = /^\s+[A-Z][A-Z0-9]*(_[A-Z0-9]+)*\??:/m;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * Every variable the configuration declares, wherever it does: each source file that declares validated
 * UPPER_SNAKE properties is loaded, and its exported classes' class-validator metadata is read.
 */
function declaredVariables(): { variables: Set<string>; files: string[] } {
  const storage = getMetadataStorage();
  const variables = new Set<string>();
  const files: string[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('class-validator') || !DECLARATION.test(text)) continue;
    files.push(relative(root, file));
    for (const exported of Object.values(require(file) as Record<string, unknown>)) {
      if (typeof exported !== 'function') continue;
      const names = storage.getTargetValidationMetadatas(exported, '', true, false).map((m) => m.propertyName);
      if (names.length > 0 && names.every((name) => ENV_NAME.test(name))) names.forEach((n) => variables.add(n));
    }
  }
  return { variables, files };
}

/** `NAME=value` or `# NAME=value` lines; a section headed "compose stack only" lists compose's own variables. */
function documented(): { gateway: Set<string>; composeOnly: Set<string> } {
  const gateway = new Set<string>();
  const composeOnly = new Set<string>();
  let target = gateway;
  for (const line of readFileSync(join(root, '.env.example'), 'utf8').split('\n')) {
    if (/^# -+ The compose stack only/.test(line)) target = composeOnly;
    const match = /^(?:# )?([A-Z][A-Z0-9_]*)=/.exec(line);
    if (match) target.add(match[1]);
  }
  return { gateway, composeOnly };
}

describe('.env.example', () => {
  const { variables, files } = declaredVariables();
  const { gateway, composeOnly } = documented();
  const secretFiles = SECRET_VARIABLES.map(fileVariable);

  it('finds the configuration (so that the comparisons below cannot pass on nothing)', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const name of ['NODE_ENV', 'PORT', 'MONGODB_URI', ...SECRET_VARIABLES]) expect(variables).toContain(name);
  });

  it('lists every variable the configuration declares', () => {
    expect([...variables].filter((name) => !gateway.has(name))).toEqual([]);
  });

  it('lists the <NAME>_FILE form of every secret variable', () => {
    expect(secretFiles.filter((name) => !gateway.has(name))).toEqual([]);
  });

  it('lists nothing the configuration does not declare', () => {
    const known = new Set([...variables, ...secretFiles]);
    expect([...gateway].filter((name) => !known.has(name))).toEqual([]);
  });

  it("lists compose's own variables only if docker-compose.yml uses them", () => {
    const compose = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    expect([...composeOnly].filter((name) => !compose.includes('${' + name))).toEqual([]);
  });
});
