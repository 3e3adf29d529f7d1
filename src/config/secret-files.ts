import { readFileSync } from 'node:fs';

/**
 * Every configuration variable that carries a secret. Each may be given instead as `<NAME>_FILE`, the path of a
 * file holding the value (Docker and Kubernetes secrets), and is never echoed in a configuration error.
 * A new secret variable joins this list, and nothing else is needed.
 */
export const SECRET_VARIABLES: readonly string[] = ['MONGODB_URI', 'COSS_APP_SECRET', 'ANHUI_PASSWORD', 'API_KEYS'];

export const fileVariable = (name: string): string => `${name}_FILE`;

export interface SecretFilesResult {
  /** The environment with each `<NAME>_FILE` replaced by `<NAME>` holding the file's content. */
  env: Record<string, unknown>;
  /** One line per variable that could not be resolved, naming it (never its value). */
  problems: string[];
}

/** An empty variable counts as unset, as everywhere in the configuration. */
const isSet = (value: unknown): boolean => value !== undefined && value !== '';

/** Resolves `<NAME>_FILE` for the secret variables among `declared` (the variables of one configuration class). */
export function readSecretFiles(
  raw: Record<string, unknown>,
  declared: readonly string[] = SECRET_VARIABLES,
): SecretFilesResult {
  const env: Record<string, unknown> = { ...raw };
  const problems: string[] = [];
  for (const name of SECRET_VARIABLES.filter((secret) => declared.includes(secret))) {
    const fileName = fileVariable(name);
    const path = raw[fileName];
    delete env[fileName];
    if (!isSet(path)) continue;
    if (isSet(raw[name])) {
      problems.push(`${name} and ${fileName} are both set: give only one`);
      continue;
    }
    const read = readSecret(String(path));
    if ('error' in read) problems.push(`${fileName}=${JSON.stringify(path)}: ${read.error}`);
    else env[name] = read.value;
  }
  return { env, problems };
}

function readSecret(path: string): { value: string } | { error: string } {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (e) {
    return { error: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  // `echo secret > file` and most editors end the file with a newline that is not part of the secret.
  const value = content.replace(/\r?\n$/, '');
  return value === '' ? { error: 'the file is empty' } : { value };
}

/** How a configuration error shows a variable's value: a secret's is never shown. */
export function shownValue(name: string, value: unknown): string {
  return SECRET_VARIABLES.includes(name) ? '(secret, not shown)' : JSON.stringify(value);
}
