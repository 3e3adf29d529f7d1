import { join } from 'node:path';
import madge from 'madge';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..');
const SRC = join(ROOT, 'src');

/** The files the production build (tsconfig.build.json) compiles, relative to src/. */
function productionFiles(): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  )!;
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return program
    .getSourceFiles()
    .map((file) => file.fileName)
    .filter((name) => name.startsWith(`${SRC}/`))
    .map((name) => name.slice(SRC.length + 1));
}

describe('import graph of src/', () => {
  let modules: Record<string, string[]>;
  let circles: string[][];

  beforeAll(async () => {
    const result = await madge(SRC, { fileExtensions: ['ts'], tsConfig: join(ROOT, 'tsconfig.json') });
    modules = result.obj();
    circles = result.circular();
  }, 120_000);

  it('has no import circles (madge --circular)', () => {
    expect(circles).toEqual([]);
  });

  const importsOf = (prefix: string) =>
    Object.entries(modules)
      .filter(([file]) => file.startsWith(prefix))
      .flatMap(([file, imports]) => imports.map((imported) => `${file} -> ${imported}`));

  it('keeps the vendors off the simulators: imports run from the top down', () => {
    expect(importsOf('ca/vendors/').filter((edge) => edge.includes('-> simulators/'))).toEqual([]);
  });

  it('never imports the app module from common/', () => {
    expect(importsOf('common/').filter((edge) => /-> app\.module\.ts$/.test(edge))).toEqual([]);
  });

  it('leaves simulators, test helpers and the test CA out of the production build', () => {
    const built = productionFiles();
    expect(built).toContain('main.ts');
    expect(built).toContain('ca/vendors/coss/coss.provider.ts');
    expect(
      built.filter((file) =>
        /^simulators\/|\.testing\.ts$|\.spec\.ts$|^crypto\/(test-ca|certificate-builder|crl-builder)\.ts$/.test(file),
      ),
    ).toEqual([]);
  }, 60_000);
});
