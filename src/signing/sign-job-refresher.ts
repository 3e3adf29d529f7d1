import { Injectable } from '@nestjs/common';
import { CaProviders } from '../ca/ca-providers';
import type { SignProgress } from '../ca/ca.types';
import { QrJobLifecycle, refreshQrJob } from '../common/qr-job/qr-job';
import { secretHash } from '../common/secrets/per-login-secret';
import { StoredRecord } from './schemas/ca-extended-data.schema';
import { requireSigner, SignDocService } from './sign-doc.service';
import { SignatureRecordStore } from './signature-record.store';

/**
 * Follows a document signing job of an interactive vendor (PENDING_SCAN) with the same lifecycle as logins. A
 * verified signature from the nurse's own certificate completes the record and the document exactly as an automatic
 * signature does.
 */
@Injectable()
export class SignJobRefresher {
  private readonly job: QrJobLifecycle<StoredRecord, SignProgress> = {
    find: (handleHash) => this.records.findByJobHandle(handleHash),
    isOpen: (record) => record.status === 'PENDING_SCAN',
    expiresAt: (record) => record.leaseUntil,
    expire: async (record) => {
      await this.signing.fail(record._id, record.attemptId, {
        type: 'EXPIRED',
        message: 'The signing QR code expired before the nurse confirmed it',
      });
      return this.reread(record);
    },
    pollIntervalMs: (record) => this.providers.get(record.provider).pollIntervalMs,
    lease: (record, intervalMs) => this.records.lease(record, intervalMs),
    poll: (record) =>
      this.providers
        .get(record.provider)
        .pollSign({ jobId: record.signDataId!, data: Buffer.from(record.signedContent, 'utf8') }),
    settle: (record, progress) => this.settle(record, progress),
    failed: (record, error) => this.signing.fail(record._id, record.attemptId, error),
  };

  constructor(
    private readonly records: SignatureRecordStore,
    private readonly providers: CaProviders,
    private readonly signing: SignDocService,
  ) {}

  /** The record of the signing job with this handle, brought up to date; null for any other id. */
  refresh(handle: string): Promise<StoredRecord | null> {
    return refreshQrJob(secretHash(handle), this.job);
  }

  private async settle(record: StoredRecord, progress: SignProgress): Promise<StoredRecord> {
    if (progress.state === 'PENDING') return record;
    if (progress.state === 'FINISHED') {
      requireSigner(progress.signature!, record.expectedSignerSm3);
      return this.signing.complete(record._id, record.attemptId, progress.signature!, record.signDataId);
    }
    const failure =
      progress.state === 'REJECTED' ? 'The nurse declined to sign on her phone' : 'The signing QR code expired';
    await this.signing.fail(record._id, record.attemptId, { type: progress.state, message: failure });
    return this.reread(record);
  }

  private async reread(record: StoredRecord): Promise<StoredRecord> {
    return (await this.records.findById(record._id)) ?? record;
  }
}
