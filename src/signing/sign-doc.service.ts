import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { setTimeout as sleep } from 'node:timers/promises';
import { Types } from 'mongoose';
import { CaProviders } from '../ca/ca-providers';
import type { VerifiedSignature } from '../ca/ca.types';
import { ConflictError, GatewayError, SignatureRejectedError } from '../common/errors';
import { VendorError } from '../common/errors/vendor.errors';
import { qrImageDataUrl } from '../common/http/qr-image';
import { deriveSecret, secretHash, signJobPurpose } from '../common/secrets/per-login-secret';
import { caConfig } from '../config';
import { parseCertificate, sm3Hex } from '../crypto';
import { CURRENT_ENVELOPE_VERSION, envelopeV2 } from '../evidence/envelope';
import { Revocation } from '../evidence/crl/revocation.service';
import { Authorizations } from '../login/authorizations';
import { parseDocData } from './doc-data';
import { SignDocDto, SignDocView } from './dto/sign-doc.dto';
import { NursingDocumentStore } from './nursing-document.store';
import { RecordFailure, StoredRecord } from './schemas/ca-extended-data.schema';
import type { DocumentType } from './schemas/nursing-record.schema';
import { NewRecord, SignatureRecordStore } from './signature-record.store';
import { contentDigest } from './signed-bytes';

const FOLLOW_POLL_MS = 50;
const FOLLOW_LIMIT_MS = 30_000;

/**
 * signDocWithCa: one record per signature in caExtendedData, claimed by a unique key before the vendor is called,
 * marked SIGNED only with a verified signature, and only then applied to the document.
 */
@Injectable()
export class SignDocService {
  private readonly logger = new Logger(SignDocService.name);

  constructor(
    private readonly records: SignatureRecordStore,
    private readonly documents: NursingDocumentStore,
    private readonly authorizations: Authorizations,
    private readonly providers: CaProviders,
    private readonly revocation: Revocation,
    @Inject(caConfig.KEY) private readonly config: ConfigType<typeof caConfig>,
  ) {}

  async sign(dto: SignDocDto): Promise<SignDocView> {
    const doc = parseDocData(dto.docData);
    const type = dto.type as DocumentType;
    const { accessToken, signDataId } = dto.caIdentityParamsMap;
    const authorization = await this.authorizations.require(accessToken, signDataId, dto.userCode);
    // Over the content alone, as before version 2: the same content signed again is still the same record.
    const contentDigestSm3 = contentDigest(doc.content);
    const idempotencyKey = sm3Hex(
      Buffer.from([authorization.msspId, authorization.userCode, type, doc.id, contentDigestSm3].join('\n')),
    );
    // The envelope names the record, so its id and claim time are fixed before the insert (unused if one exists).
    const recordId = new Types.ObjectId();
    const claimedAt = new Date();
    const signedContent = envelopeV2({
      docType: type,
      docId: doc.id,
      content: doc.content,
      userCode: authorization.userCode,
      recordId: String(recordId),
      claimedAt,
    });
    const fields: NewRecord = {
      _id: recordId,
      idempotencyKey,
      userCode: authorization.userCode,
      msspId: authorization.msspId!,
      provider: authorization.provider,
      docId: doc.id,
      docType: type,
      signedContent,
      envelopeVersion: CURRENT_ENVELOPE_VERSION,
      claimedAt,
      contentDigestSm3,
      authorizationSignDataId: authorization.signDataId,
    };
    const deadline = Date.now() + FOLLOW_LIMIT_MS;
    for (;;) {
      const attemptId = randomUUID();
      // How long this attempt may take before recovery may declare it failed.
      const leaseUntil = new Date(Date.now() + this.config.signLeaseMs);
      const claimed = await this.records.claim(fields, { attemptId, leaseUntil });
      if (claimed.mine) return this.attempt(claimed.record, attemptId, authorization.certificate!.der, accessToken);
      const settled = await this.follow(claimed.record, deadline, accessToken);
      if (settled) return settled;
    }
  }

  /** `token` is the caller's msspId token: a signing job's handle is derived from it, so only she can follow it. */
  private async attempt(
    record: StoredRecord,
    attemptId: string,
    loginCertificate: string,
    token: string,
  ): Promise<SignDocView> {
    const provider = this.providers.get(record.provider);
    try {
      const certificate = parseCertificate(loginCertificate);
      // Before the vendor (and, for interactive vendors, the nurse) is asked; checked again when the signature comes.
      await this.revocation.require(certificate);
      const outcome = await provider.sign({
        userId: record.msspId,
        data: Buffer.from(record.signedContent, 'utf8'),
        title: `${record.docType} ${record.docId}`,
        certificate,
      });
      if (outcome.kind === 'PENDING_SCAN') {
        const pending = await this.records.awaitScan(record._id, attemptId, {
          signDataId: outcome.job.jobId,
          jobHandleHash: secretHash(jobHandle(token, outcome.job.jobId)),
          qrCode: outcome.job.qrContent,
          expiresAt: outcome.job.expiresAt,
          expectedSignerSm3: certificate.fingerprintSm3,
        });
        return this.view(pending ?? record, token);
      }
      requireSigner(outcome.signature, certificate.fingerprintSm3);
      return this.view(
        await this.complete(record._id, attemptId, outcome.signature, outcome.vendorJobId, outcome.appId),
        token,
      );
    } catch (error) {
      await this.fail(record._id, attemptId, error);
      throw error;
    }
  }

  /**
   * PENDING → SIGNED with the verified signature, then the document; shared with interactive signing and recovery. A
   * revoked certificate (CERT_REVOKED) or a stale CRL under `refuse` (CRL_STALE) throws, and the caller fails the record.
   */
  async complete(
    recordId: Types.ObjectId,
    attemptId: string,
    signature: VerifiedSignature,
    vendorJobId?: string,
    appId?: string,
  ): Promise<StoredRecord> {
    const revocation = await this.revocation.require(signature.certificate);
    const signed = await this.records.markSigned(recordId, attemptId, signature, vendorJobId, appId, revocation);
    if (!signed) throw new ConflictError('This signing attempt was taken over (by recovery or a retry); submit again');
    await this.applyDocument(signed);
    return signed;
  }

  async applyDocument(record: StoredRecord): Promise<void> {
    await this.documents.apply(record);
    await this.records.markApplied(record._id);
  }

  async fail(recordId: Types.ObjectId, attemptId: string, error: unknown): Promise<void> {
    const failure = describeFailure(error);
    await this.records
      .markFailed(recordId, attemptId, failure)
      .catch((cause: Error) =>
        this.logger.error({ err: cause }, 'Could not mark a failed signing attempt; recovery will'),
      );
  }

  /** Waits for another request's attempt on the same content; null when it failed and may be retaken. */
  private async follow(record: StoredRecord, deadline: number, token: string): Promise<SignDocView | null> {
    let current: StoredRecord | null = record;
    while (current) {
      if (current.status === 'SIGNED') {
        if (!current.documentApplied) await this.applyDocument(current);
        return this.view(current, token);
      }
      if (current.status === 'PENDING_SCAN') return this.view(current, token);
      if (current.status === 'FAILED') return null;
      if (Date.now() > deadline)
        throw new ConflictError('The same document is being signed by another request; try again shortly');
      await sleep(FOLLOW_POLL_MS);
      current = await this.records.findById(record._id);
    }
    return null;
  }

  /** A PENDING_SCAN answer hands the caller the job's handle as signDataId; the QR code keeps the vendor's id. */
  private async view(record: StoredRecord, token: string): Promise<SignDocView> {
    const base = { docId: record.docId, type: record.docType, recordId: String(record._id) };
    if (record.status === 'PENDING_SCAN') {
      const qrImage = record.qrCode ? await qrImageDataUrl(record.qrCode) : undefined;
      const signDataId = jobHandle(token, record.signDataId!);
      return { ...base, status: 'PENDING_SCAN', signDataId, qrCode: record.qrCode, qrImage };
    }
    return { ...base, status: 'SIGNED', signDataId: record.signDataId, signedAt: record.signedAt?.toISOString() };
  }
}

function jobHandle(token: string, vendorJobId: string): string {
  return deriveSecret(token, signJobPurpose(vendorJobId));
}

export function describeFailure(error: unknown): RecordFailure {
  if (isFailure(error)) return error;
  if (error instanceof VendorError) {
    return {
      type: error.type,
      message: error.message,
      vendorCode: error.context.vendorCode === undefined ? undefined : String(error.context.vendorCode),
    };
  }
  if (error instanceof GatewayError) return { type: error.type, message: error.message };
  return { type: 'INTERNAL_ERROR', message: 'The signing attempt failed unexpectedly' };
}

/** One nurse can never sign with another's authorization: the signature must come from her login certificate. */
export function requireSigner(signature: VerifiedSignature, expectedSm3: string | undefined): void {
  if (signature.certificate.fingerprintSm3 !== expectedSm3) {
    throw new SignatureRejectedError(
      "The signature was made with a certificate other than the nurse's login certificate",
      {
        reason: 'CERT_MISMATCH',
      },
    );
  }
}

function isFailure(value: unknown): value is RecordFailure {
  return (
    !(value instanceof Error) &&
    typeof (value as RecordFailure)?.type === 'string' &&
    typeof (value as RecordFailure).message === 'string'
  );
}
