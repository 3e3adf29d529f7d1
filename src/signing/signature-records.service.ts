import { Injectable } from '@nestjs/common';
import { isValidObjectId } from 'mongoose';
import { CaProviders } from '../ca/ca-providers';
import type { SignatureFormat } from '../ca/ca.types';
import { SignatureVerifier } from '../ca/signature-verifier';
import { NotFoundError } from '../common/errors';
import { sm3Hex } from '../crypto';
import { NursingDocumentStore } from './nursing-document.store';
import { StoredRecord } from './schemas/ca-extended-data.schema';
import { contentOf, type DocumentType } from './schemas/nursing-record.schema';
import { SignatureRecordStore } from './signature-record.store';

export interface VerifyView {
  recordId: string;
  valid: boolean;
  reason?: string;
  checkedAt: string;
}

/** Reading signatures back for MNIS document services, and checking a stored one again from the record alone. */
@Injectable()
export class SignatureRecords {
  constructor(
    private readonly records: SignatureRecordStore,
    private readonly documents: NursingDocumentStore,
    private readonly verifier: SignatureVerifier,
    private readonly providers: CaProviders,
  ) {}

  async document(type: DocumentType, docId: string) {
    const found = await this.documents.find(type, docId);
    if (!found) throw new NotFoundError(`No ${type} with id ${docId}`, { field: 'id' });
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
    const result = await this.check(record);
    await this.records.recordCheck(record._id, result, checkedAt);
    return { recordId, ...result, checkedAt: checkedAt.toISOString() };
  }

  private async check(record: StoredRecord): Promise<{ valid: boolean; reason?: string }> {
    if (record.status !== 'SIGNED' || !record.signResult || !record.signFormat)
      return { valid: false, reason: `NOT_SIGNED (${record.status})` };
    const bytes = Buffer.from(record.signedContent ?? '', 'utf8');
    if (sm3Hex(bytes) !== record.contentDigestSm3) return { valid: false, reason: 'CONTENT_DIGEST_MISMATCH' };
    const roots = this.providers.trustedRoots(record.provider);
    const result = await this.verifier.check({
      format: record.signFormat as SignatureFormat,
      signature: record.signResult,
      certificate: record.signCert,
      signedBytes: bytes,
      trustedRoots: roots,
      at: record.signedAt,
    });
    if (!result.valid) return { valid: false, reason: result.reason };
    if (record.certSerial && result.signature.certificate.serialNumber !== record.certSerial) {
      return { valid: false, reason: 'CERT_SERIAL_MISMATCH' };
    }
    return { valid: true };
  }
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
    failure: record.failure,
    signedAt: record.signedAt,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
