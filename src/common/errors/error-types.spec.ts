import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_TYPES_BY_STATUS } from './error-types';
import { GatewayError } from './gateway.errors';
import { ERROR_MESSAGES } from './messages';

const SRC = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'simulators' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every concrete GatewayError subclass exported anywhere in src/ (found by reading the sources, then loaded). */
function gatewayErrors(): { name: string; error: GatewayError }[] {
  const files = sourceFiles(SRC).filter((file) => /extends \w*Error\b/.test(readFileSync(file, 'utf8')));
  const found = new Map<string, GatewayError>();
  for (const file of files) {
    for (const [name, value] of Object.entries(require(file) as Record<string, unknown>)) {
      if (typeof value !== 'function' || !(value.prototype instanceof GatewayError)) continue;
      const Concrete = value as new (...args: unknown[]) => GatewayError;
      const error = new Concrete([], { vendor: 'v', operation: 'o' });
      // Abstract classes (VendorError) have no type of their own.
      if (error.type !== undefined) found.set(name, error);
    }
  }
  return [...found].map(([name, error]) => ({ name, error }));
}

describe('ERROR_TYPES_BY_STATUS', () => {
  const errors = gatewayErrors();

  it('finds the error classes of every feature', () => {
    const names = errors.map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'RequestValidationError',
        'MethodNotAllowedError',
        'VendorTimeoutError',
        'CertRevokedError',
      ]),
    );
  });

  it.each(errors.map((e) => [e.name, e.error] as const))('lists %s under its own status', (_name, error) => {
    const listed: readonly string[] =
      ERROR_TYPES_BY_STATUS[error.httpStatus as keyof typeof ERROR_TYPES_BY_STATUS] ?? [];
    expect({ status: error.httpStatus, type: error.type, listed: listed.includes(error.type) }).toEqual({
      status: error.httpStatus,
      type: error.type,
      listed: true,
    });
  });

  it('has a message in both languages for every type it lists', () => {
    for (const type of Object.values(ERROR_TYPES_BY_STATUS).flat()) {
      expect({ type, known: type in ERROR_MESSAGES }).toEqual({ type, known: true });
    }
  });
});
