import { sm2Sign } from '../../crypto';
import { SimNurses } from './coss-sim.nurses';
import { CossSimState } from './coss-sim.state';
import { TimeRegionUnit } from './coss-sim.options';

export type PhoneAction = 'approve' | 'reject';

export type PhoneScanFailure = 'bad-qr' | 'unknown-job' | 'expired' | 'already-answered' | 'wrong-user';

export type PhoneScanOutcome =
  { ok: true; msspId: string; signDataId: string } | { ok: false; reason: PhoneScanFailure; message: string };

export interface VirtualPhoneSettings {
  userId: string;
  timeRegionUnit: TimeRegionUnit;
  defaultTimeRegion: number;
}

/** The nurse's phone app: scans the QR content and signs the login challenge, or refuses. */
export class VirtualPhone {
  constructor(
    private readonly state: CossSimState,
    private readonly nurses: SimNurses,
    private readonly settings: VirtualPhoneSettings,
  ) {}

  async scan(
    qrCode: string,
    nurseCode: string,
    action: PhoneAction = 'approve',
    name?: string,
  ): Promise<PhoneScanOutcome> {
    const signDataId = jobIdOf(qrCode);
    if (!signDataId) return { ok: false, reason: 'bad-qr', message: 'QR content is not COSS JSON with an "o" field' };
    const job = this.state.job(signDataId);
    if (!job) return { ok: false, reason: 'unknown-job', message: 'no such signing job' };
    if (this.state.isExpired(job)) return { ok: false, reason: 'expired', message: 'the signing job has expired' };
    if (job.status !== 'UNSIGN')
      return { ok: false, reason: 'already-answered', message: `the job is already ${job.status}` };

    const nurse = await this.nurses.get(nurseCode, { name });
    if (job.requestedUserId && job.requestedUserId !== nurse.msspId) {
      return { ok: false, reason: 'wrong-user', message: 'the QR code was issued for another user' };
    }
    // Re-checked after the await: another scan may have answered the job meanwhile.
    if (job.status !== 'UNSIGN')
      return { ok: false, reason: 'already-answered', message: `the job is already ${job.status}` };

    job.msspId = nurse.msspId;
    if (action === 'reject') {
      job.status = 'REJECT';
    } else {
      job.signature = sm2Sign(job.challenge, nurse.privateKeyHex, this.settings.userId);
      job.status = 'FINISH';
      const minutesOrSeconds = job.timeRegion ?? this.settings.defaultTimeRegion;
      const unitMs = this.settings.timeRegionUnit === 'seconds' ? 1000 : 60_000;
      this.state.openAuthorization(nurse.msspId, minutesOrSeconds * unitMs);
    }
    return { ok: true, msspId: nurse.msspId, signDataId };
  }
}

function jobIdOf(qrCode: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(qrCode);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const id = (parsed as Record<string, unknown>).o;
    return typeof id === 'string' && id.length > 0 ? id : undefined;
  } catch {
    return undefined;
  }
}
