import type { AnhuiSimUsers } from './anhui-sim.users';

export interface AnhuiSimulatorOptions {
  port?: number;
  host?: string;
  accountName?: string;
  password?: string;
  tokenTtlMs?: number;
  jobTtlMs?: number;
  latencyMs?: number;
  /** Reuse the CAs and users of another simulator: RSA key generation makes a fresh start cost about a second. */
  users?: AnhuiSimUsers;
}

export interface AnhuiSimSettings {
  accountName: string;
  password: string;
  tokenTtlMs: number;
  jobTtlMs: number;
  latencyMs: number;
}

export const ANHUI_SIM_DEFAULTS: Readonly<AnhuiSimSettings & { port: number; host: string }> = {
  port: 0,
  host: '127.0.0.1',
  accountName: 'mnis-sandbox',
  password: 'sandbox-only',
  tokenTtlMs: 30 * 60 * 1000,
  jobTtlMs: 5 * 60 * 1000,
  latencyMs: 0,
};

export function resolveSettings(options: AnhuiSimulatorOptions): AnhuiSimSettings {
  return {
    accountName: options.accountName ?? ANHUI_SIM_DEFAULTS.accountName,
    password: options.password ?? ANHUI_SIM_DEFAULTS.password,
    tokenTtlMs: options.tokenTtlMs ?? ANHUI_SIM_DEFAULTS.tokenTtlMs,
    jobTtlMs: options.jobTtlMs ?? ANHUI_SIM_DEFAULTS.jobTtlMs,
    latencyMs: options.latencyMs ?? ANHUI_SIM_DEFAULTS.latencyMs,
  };
}
