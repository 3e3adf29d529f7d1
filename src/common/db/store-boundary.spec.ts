import { readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * Only stores write: outside `*.store.ts` / `*-store.ts`, the engine probe in src/database/ and the helpers in
 * src/common/db/, no code calls a write of a mongoose model, query or document or of a driver collection, obtains a
 * model from a connection, or injects one. Calls are resolved with the type checker, so that a `create` or `save` of
 * anything else (Test.createTestingModule, crypto.createHash, a Map) is not mistaken for a write.
 */
const ROOT = resolve(__dirname, '../../..');
const SRC = join(ROOT, 'src');

const WRITES = new Set([
  'insertOne',
  'insertMany',
  'updateOne',
  'updateMany',
  'replaceOne',
  'bulkWrite',
  'deleteOne',
  'deleteMany',
  'create',
  'save',
]);
const isWrite = (name: string) => WRITES.has(name) || /^find(One|ById)And/.test(name);

export interface Violation {
  file: string;
  line: number;
  what: string;
}

function allowed(file: string): boolean {
  const path = relative(SRC, file).split(sep).join('/');
  return (
    /(\.store|-store)\.ts$/.test(path) ||
    path.startsWith('database/') ||
    path.startsWith('common/db/') ||
    /\.spec\.ts$/.test(path)
  );
}

/** Declared by mongoose or the MongoDB driver. */
function fromDatabaseLibrary(symbol: ts.Symbol | undefined, checker: ts.TypeChecker): boolean {
  if (!symbol) return false;
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return (target.declarations ?? []).some((declaration) =>
    /[\\/]node_modules[\\/](mongoose|mongodb|@nestjs[\\/]mongoose)[\\/]/.test(declaration.getSourceFile().fileName),
  );
}

function calledName(callee: ts.Expression): ts.Node | undefined {
  if (ts.isPropertyAccessExpression(callee)) return callee.name;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression))
    return callee.argumentExpression;
  return undefined;
}

export function findStoreViolations(program: ts.Program, files: readonly string[]): Violation[] {
  const checker = program.getTypeChecker();
  const violations: Violation[] = [];
  for (const file of files) {
    if (allowed(file)) continue;
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`Not in the program: ${file}`);
    const report = (node: ts.Node, what: string) =>
      violations.push({
        file: relative(ROOT, file).split(sep).join('/'),
        line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
        what,
      });
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const name = calledName(node.expression);
        const text = name && (ts.isIdentifier(name) ? name.text : (name as ts.StringLiteralLike).text);
        if (text && name) {
          const symbol = ts.isIdentifier(name)
            ? checker.getSymbolAtLocation(name)
            : checker.getTypeAtLocation((node.expression as ts.ElementAccessExpression).expression).getProperty(text);
          if ((isWrite(text) || text === 'model') && fromDatabaseLibrary(symbol, checker)) report(node, text);
        }
      }
      if (ts.isDecorator(node) && ts.isCallExpression(node.expression)) {
        const symbol = checker.getSymbolAtLocation(node.expression.expression);
        if (ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'InjectModel') {
          if (fromDatabaseLibrary(symbol, checker)) report(node, '@InjectModel');
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return violations;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function compilerOptions(): ts.CompilerOptions {
  const configFile = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  return { ...ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT).options, noEmit: true };
}

/** A program over the given files, any of which may exist only in memory (under src/ so that imports resolve). */
function programOf(files: Record<string, string | undefined>): ts.Program {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const inMemory = (path: string) => files[resolve(path)];
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (path, language, ...rest) => {
    const text = inMemory(path);
    return text === undefined ? getSourceFile(path, language, ...rest) : ts.createSourceFile(path, text, language);
  };
  host.fileExists = (path) => inMemory(path) !== undefined || fileExists(path);
  host.readFile = (path) => inMemory(path) ?? readFile(path);
  return ts.createProgram(Object.keys(files), options, host);
}

const BAD = `
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Connection, Model } from 'mongoose';

class Thing { name: string; }

@Injectable()
export class Leaky {
  constructor(@InjectModel('Thing') private readonly things: Model<Thing>, private readonly connection: Connection) {}

  async write(): Promise<void> {
    await this.things.create({ name: 'a' });
    await this.things.updateOne({}, { $set: { name: 'b' } });
    await this.things.findOneAndUpdate({}, { $set: { name: 'c' } });
    await this.things.collection.insertOne({ name: 'd' });
    const doc = new this.things({ name: 'e' });
    await doc.save();
    await this.things['deleteMany']({});
    await this.connection.model<Thing>('Other').findByIdAndDelete('x');
  }
}
`;

const GOOD = `
import { createHash, createHmac } from 'node:crypto';
import * as crypto from 'node:crypto';
import { Test } from '@nestjs/testing';
import { Model } from 'mongoose';

class Thing { name: string; }
const registry = { create: (name: string) => name, save: () => 1, updateOne: () => 2 };

export async function readsOnly(things: Model<Thing>): Promise<void> {
  registry.create('x');
  registry.save();
  registry.updateOne();
  createHash('sha256');
  createHmac('sha256', 'k');
  crypto.createCipheriv;
  await Test.createTestingModule({}).compile();
  await things.findOne({ name: 'a' }).lean();
  await things.find().sort({ name: 1 });
  await things.exists({ name: 'a' });
}
`;

// Type-checking the whole of src/ takes seconds, more on a shared machine.
jest.setTimeout(120_000);

describe('store boundary', () => {
  it('finds every kind of write and model injection outside a store, and nothing else (self-test)', () => {
    const bad = join(SRC, '__boundary__', 'leaky.service.ts');
    const good = join(SRC, '__boundary__', 'reader.service.ts');
    const asStore = join(SRC, '__boundary__', 'leaky.store.ts');
    const program = programOf({ [bad]: BAD, [good]: GOOD, [asStore]: BAD });
    const errors = [bad, good].flatMap((file) => {
      const source = program.getSourceFile(file);
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    });
    expect(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);

    expect(findStoreViolations(program, [good, asStore])).toEqual([]);
    expect(findStoreViolations(program, [bad]).map((v) => `${v.line} ${v.what}`)).toEqual([
      '10 @InjectModel',
      '13 create',
      '14 updateOne',
      '15 findOneAndUpdate',
      '16 insertOne',
      '18 save',
      '19 deleteMany',
      '20 findByIdAndDelete',
      '20 model',
    ]);
  });

  it('no code in src/ outside the stores writes to a collection or injects a model', () => {
    const files = sourceFiles(SRC);
    expect(files.filter(allowed).some((file) => file.endsWith('.store.ts'))).toBe(true);
    const program = programOf(Object.fromEntries(files.map((file) => [file, undefined])));
    expect(findStoreViolations(program, files)).toEqual([]);
  });
});
