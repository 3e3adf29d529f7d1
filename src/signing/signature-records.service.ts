import { Inject, Injectable } from '@nestjs/common';
import { isValidObjectId } from 'mongoose';
import { CaProviders } from '../ca/ca-providers';
import type { SignatureFormat } from '../ca/ca.types';
import { SignatureVerifier } from '../ca/signature-verifier';
import { NotFoundError } from '../common/errors';
import { CertificateInfo } from '../crypto';
import { crlReferenceView, CrlReferenceView } from '../evidence/crl/crl';
import { Revocation, RevocationAt } from '../evidence/crl/revocation.service';
import { TSA_TRUST } from '../evidence/stamping/tsa-endpoint';
import { verifyStoredTimestamp } from '../evidence/timestamp';
import { NursingDocumentStore } from './nursing-document.store';
import { StoredRecord } from './schemas/ca-extended-data.schema';
import { contentOf, type DocumentType } from './schemas/nursing-record.schema';
import { SignatureRecordStore } from './signature-record.store';
import { signedBytesProblem } from './signed-bytes';

/** TIMESTAMPED: checked at a verified timestamp's genTime; SIGNING_TIME: at the gateway's own signedAt. */
export type Assurance = 'TIMESTAMPED' | 'SIGNING_TIME';

export interface VerifyView {
  recordId: string;
  valid: boolean;
  reason?: string;
  /** The instant the signature and certificate were checked at (not now: long-term validation). */
  validAt?: string;
  assurance?: Assurance;
  /** The signer certificate's revocation state at validAt, from the CRLs the gateway keeps (see README, Revocation). */
  revocation?: RevocationView;
  notes: string[];
  checkedAt: string;
}

export interface RevocationView {
  status: RevocationAt['status'];
  crl?: CrlReferenceView;
  revokedAt?: string;
}

interface CheckOutcome {
  valid: boolean;
  reason?: string;
  validAt?: Date;
  assurance?: Assurance;
  revocation?: RevocationView;
  notes: string[];
}

/** Reading signatures back for MNIS document services, and checking a stored one again from the record alone. */
@Injectable()
export class SignatureRecords {
  constructor(
    private readonly records: SignatureRecordStore,
    private readonly documents: NursingDocumentStore,
    private readonly verifier: SignatureVerifier,
    private readonly providers: CaProviders,
    private readonly revocation: Revocation,
    @Inject(TSA_TRUST) private readonly tsaRoots: CertificateInfo[],
  ) {}

  async document(type: DocumentType, docId: string) {
    const found = await this.documents.find(type, docId);
    if (!found) throw new NotFoundError(`No ${type} with id ${docId}`, { field: 'id' });
    const record = found.signature ? await this.records.findById(found.signature.recordId) : null;
    return {
      docId: found.docId,
      type,
      content: contentOf(found),
      contentDigestSm3: found.contentDigestSm3,
      signature: found.signature
        ? {
            ...found.signature,
            recordId: String(found.signature.recordId),
            signedAt: found.signature.signedAt.toISOString(),
            timestamp: record ? toTimestampView(record) : null,
          }
        : null,
      updatedAt: found.updatedAt?.toISOString(),
    };
  }

  async list(docId: string, type: DocumentType) {
    return (await this.records.listForDocument(docId, type)).map(toRecordView);
  }

  async verify(recordId: string): Promise<VerifyView> {
    const record = isValidObjectId(recordId) ? await this.records.findById(recordId) : null;
    if (!record) throw new NotFoundError(`No signature record ${recordId}`, { field: 'recordId' });
    const checkedAt = new Date();
    const { validAt, ...result } = await this.check(record, checkedAt);
    await this.records.recordCheck(record._id, { valid: result.valid, reason: result.reason }, checkedAt);
    return {
      recordId,
      ...result,
      ...(validAt && { validAt: validAt.toISOString() }),
      checkedAt: checkedAt.toISOString(),
    };
  }

  /**
   * Long-term validation: the signature and the certificate are checked at the instant the signature is proven to
   * have existed, the verified timestamp's genTime, else the signing time; a certificate expired since is noted.
   */
  private async check(record: StoredRecord, now: Date): Promise<CheckOutcome> {
    const notes: string[] = [];
    if (record.status !== 'SIGNED' || !record.signResult || !record.signFormat)
      return { valid: false, reason: `NOT_SIGNED (${record.status})`, notes };
    const problem = signedBytesProblem(record);
    if (problem) return { valid: false, reason: problem, notes };
    const bytes = Buffer.from(record.signedContent, 'utf8');
    const input = {
      format: record.signFormat as SignatureFormat,
      signature: record.signResult,
      certificate: record.signCert,
      signedBytes: bytes,
      trustedRoots: this.providers.trustedRoots(record.provider),
    };
    let validAt = record.signedAt;
    let assurance: Assurance = 'SIGNING_TIME';
    const stamp = record.timestamp;
    if (stamp?.status === 'GRANTED' && stamp.token) {
      const checked = await verifyStoredTimestamp(Buffer.from(stamp.token, 'base64'), {
        data: Buffer.from(record.signResult, 'base64'),
        trustedRoots: this.tsaRoots,
      });
      if (!checked.ok) {
        // An edited signature also breaks the token's imprint: the signature's own failure is the better reason.
        const signature = await this.verifier.check({ ...input, at: record.signedAt });
        const reason = signature.valid ? `TIMESTAMP_${checked.failure.reason}` : signature.reason;
        return { valid: false, reason, notes };
      }
      validAt = checked.token.genTime;
      assurance = 'TIMESTAMPED';
    } else if (stamp) {
      notes.push(`No timestamp yet (${stamp.status}): checked at the signing time`);
    }
    const result = await this.verifier.check({ ...input, at: validAt });
    if (!result.valid) return { valid: false, reason: result.reason, validAt, assurance, notes };
    const certificate = result.signature.certificate;
    if (record.certSerial && certificate.serialNumber !== record.certSerial) {
      return { valid: false, reason: 'CERT_SERIAL_MISMATCH', validAt, assurance, notes };
    }
    const revocation = await this.revocation.at(
      certificate,
      validAt ?? now,
      record.revocation?.crl,
      input.trustedRoots,
    );
    notes.push(...revocation.notes);
    const revocationView = toRevocationView(revocation);
    if (revocation.status === 'REVOKED') {
      return { valid: false, reason: 'CERT_REVOKED', validAt, assurance, revocation: revocationView, notes };
    }
    if (certificate.notAfter < now) {
      notes.push(
        `The signer certificate has expired since (notAfter ${certificate.notAfter.toISOString()}); it was valid at ${validAt?.toISOString()}`,
      );
    }
    return { valid: true, validAt, assurance, revocation: revocationView, notes };
  }
}

function toRevocationView({ status, crl, revokedAt }: RevocationAt): RevocationView {
  return {
    status,
    ...(crl && { crl: crlReferenceView(crl) }),
    ...(revokedAt && { revokedAt: revokedAt.toISOString() }),
  };
}

/** A record as the records API shows it: no credential and no vendor user id (msspId, the login's job reference). */
export function toRecordView(record: StoredRecord) {
  return {
    recordId: String(record._id),
    status: record.status,
    userCode: record.userCode,
    provider: record.provider,
    docId: record.docId,
    type: record.docType,
    signedContent: record.signedContent,
    envelopeVersion: record.envelopeVersion ?? 1,
    claimedAt: record.claimedAt,
    contentDigestSm3: record.contentDigestSm3,
    signDataId: record.signDataId,
    signFormat: record.signFormat,
    signResult: record.signResult,
    signCert: record.signCert,
    certSerial: record.certSerial,
    certSubject: record.certSubject,
    certIssuer: record.certIssuer,
    appId: record.appId,
    verification: record.verification,
    revocation: record.revocation,
    failure: record.failure,
    signedAt: record.signedAt,
    timestamp: toTimestampView(record),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** What a reader needs of the timestamp: its status and genTime (the token itself stays in the record). */
export function toTimestampView(record: StoredRecord) {
  const stamp = record.timestamp;
  if (!stamp) return null;
  return {
    status: stamp.status,
    genTime: stamp.genTime?.toISOString() ?? null,
    ...(stamp.status === 'GRANTED'
      ? { hashAlgorithm: stamp.hashAlgorithm, serialNumber: stamp.serialNumber, tsaSubject: stamp.tsaSubject }
      : { reason: stamp.reason ?? null, attempts: stamp.attempts }),
  };
}
