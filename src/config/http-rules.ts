import { accessSync, constants } from 'node:fs';
import { ApiKeysConfigError, loadApiKeys } from '../auth/api-keys.config';

/** The HTTP-boundary variables these rules read (declared and validated in environment.ts, which calls them). */
interface HttpVariables {
  API_KEYS?: string;
  CORS_ORIGINS?: string;
  TLS_CERT_FILE?: string;
  TLS_KEY_FILE?: string;
  TRUST_PROXY?: string;
}

/** Rules on the HTTP boundary's variables in every environment. */
export function httpProblems(env: HttpVariables): string[] {
  const problems: string[] = [];
  if (Boolean(env.TLS_CERT_FILE) !== Boolean(env.TLS_KEY_FILE)) {
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE must be given together');
  }
  for (const name of ['TLS_CERT_FILE', 'TLS_KEY_FILE'] as const) {
    const path = env[name];
    if (path && !readable(path)) problems.push(`${name}=${path} cannot be read`);
  }
  try {
    loadApiKeys(env);
  } catch (error) {
    if (!(error instanceof ApiKeysConfigError)) throw error;
    problems.push(error.message);
  }
  return problems;
}

/** What production refuses at the HTTP boundary: each refusal names its variable. */
export function httpProductionProblems(env: HttpVariables): string[] {
  const problems: string[] = [];
  if (!env.API_KEYS) {
    problems.push('API_KEYS or API_KEYS_FILE is required in production (the records and admin routes need keys)');
  }
  if (env.CORS_ORIGINS?.trim() === '*') {
    problems.push('CORS_ORIGINS=* is refused in production: list the exact origins of the PC front-ends');
  }
  if (!env.TRUST_PROXY && !(env.TLS_CERT_FILE && env.TLS_KEY_FILE)) {
    problems.push(
      'TLS_CERT_FILE and TLS_KEY_FILE are required in production (or TRUST_PROXY, when TLS ends at a reverse proxy): ' +
        'plain HTTP would show the per-login secrets to the network',
    );
  }
  return problems;
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
