import { DEFAULT_SM2_USER_ID } from '../../crypto';
import { DEFAULT_JOURNAL_SIZE } from './coss-sim.journal';

export type TimeRegionUnit = 'seconds' | 'minutes';

export interface CossSimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** When set, autoSign must carry this appId; it is also the `id` in the QR content. */
  appId?: string;
  /** When set, every request must carry a valid HMAC request signature. */
  appSecret?: string;
  /** Added before every vendor answer. */
  latencyMs?: number;
  /** How long a QR login job may stay unsigned. */
  jobTtlMs?: number;
  /** SM2 user ID for the signatures the simulator makes. */
  userId?: string;
  /** The unit of `timeRegion`: public clients disagree, so the simulator lets tests pick. */
  timeRegionUnit?: TimeRegionUnit;
  /** Auto-sign authorization length when startAutoSign sends no timeRegion, in `timeRegionUnit`. */
  defaultTimeRegion?: number;
  /** The O= of the nurses' certificates. */
  hospitalName?: string;
  /** How many requests per operation the journal keeps (the newest). */
  journalSize?: number;
  /** Logs operation and status only, never a body. */
  log?: boolean;
  /** Milliseconds since the epoch; tests may move time instead of sleeping. */
  clock?: () => number;
}

export type ResolvedCossSimulatorOptions = Required<Omit<CossSimulatorOptions, 'appId' | 'appSecret'>> &
  Pick<CossSimulatorOptions, 'appId' | 'appSecret'>;

export function resolveCossSimulatorOptions(options: CossSimulatorOptions = {}): ResolvedCossSimulatorOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    appId: options.appId,
    appSecret: options.appSecret,
    latencyMs: options.latencyMs ?? 0,
    jobTtlMs: options.jobTtlMs ?? 300_000,
    userId: options.userId ?? DEFAULT_SM2_USER_ID,
    timeRegionUnit: options.timeRegionUnit ?? 'minutes',
    defaultTimeRegion: options.defaultTimeRegion ?? 720,
    hospitalName: options.hospitalName ?? 'Simulated Hospital',
    journalSize: options.journalSize ?? DEFAULT_JOURNAL_SIZE,
    log: options.log ?? false,
    clock: options.clock ?? Date.now,
  };
}
