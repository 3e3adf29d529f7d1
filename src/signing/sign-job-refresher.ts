import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { CaProviders } from '../ca/ca-providers';
import { takePollLease } from '../common/db/poll-lease';
import { CaExtendedData } from './schemas/ca-extended-data.schema';
import { requireSigner, SignDocService } from './sign-doc.service';

type StoredRecord = CaExtendedData & { _id: Types.ObjectId };

/**
 * Follows a document signing job of an interactive vendor (PENDING_SCAN) with the same lease as logins: at most one
 * vendor poll per interval, whoever asks. A verified signature from the nurse's own certificate completes the record
 * and the document exactly as an automatic signature does.
 */
@Injectable()
export class SignJobRefresher {
  constructor(
    @InjectModel(CaExtendedData.name) private readonly records: Model<CaExtendedData>,
    private readonly providers: CaProviders,
    private readonly signing: SignDocService,
  ) {}

  /** The signing job's record, brought up to date; null when no job has this signDataId. */
  async refresh(signDataId: string): Promise<StoredRecord | null> {
    const record = await this.records.findOne({ signDataId }).lean<StoredRecord>();
    if (!record || record.status !== 'PENDING_SCAN') return record;
    const now = new Date();
    if (now >= record.leaseUntil) {
      await this.signing.fail(record._id, record.attemptId, {
        type: 'EXPIRED',
        message: 'The signing QR code expired before the nurse confirmed it',
      });
      return this.reread(record);
    }
    const provider = this.providers.get(record.provider);
    const leased = await takePollLease(
      this.records,
      { _id: record._id, status: 'PENDING_SCAN' },
      provider.pollIntervalMs,
      record,
    );
    if (!leased) return record;
    try {
      const progress = await provider.pollSign({ jobId: signDataId, data: Buffer.from(record.signedContent, 'utf8') });
      if (progress.state === 'PENDING') return record;
      if (progress.state === 'FINISHED') {
        requireSigner(progress.signature!, record.expectedSignerSm3);
        return await this.signing.complete(record._id, record.attemptId, progress.signature!, signDataId);
      }
      const failure =
        progress.state === 'REJECTED' ? 'The nurse declined to sign on her phone' : 'The signing QR code expired';
      await this.signing.fail(record._id, record.attemptId, { type: progress.state, message: failure });
    } catch (error) {
      await this.signing.fail(record._id, record.attemptId, error);
      throw error;
    }
    return this.reread(record);
  }

  private async reread(record: StoredRecord): Promise<StoredRecord> {
    return (await this.records.findById(record._id).lean<StoredRecord>()) ?? record;
  }
}
