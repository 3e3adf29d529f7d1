import { Inject, Injectable } from '@nestjs/common';
import { isValidObjectId } from 'mongoose';
import { ZipFile } from 'yazl';
import { CaProviders } from '../../ca/ca-providers';
import { ConflictError, NotFoundError } from '../../common/errors';
import { CertificateInfo, issuerPath, parseCertificate } from '../../crypto';
import { SignatureRecordStore } from '../../signing/signature-record.store';
import type { StoredRecord } from '../../signing/schemas/ca-extended-data.schema';
import { AuditLogStore } from '../audit/audit-log.store';
import { CrlStore } from '../crl/crl.store';
import type { AuditEntry } from '../audit/audit-entry';
import { TSA_TRUST } from '../stamping/tsa-endpoint';
import type { BundleFile } from './bundle-file';
import { evidenceFiles } from './evidence-bundle';

export interface EvidenceBundle {
  fileName: string;
  zip: Buffer;
}

/** A SIGNED record's offline-verifiable evidence, as one ZIP (GET …/records/{recordId}/evidence). */
@Injectable()
export class EvidenceExportService {
  constructor(
    private readonly records: SignatureRecordStore,
    private readonly audit: AuditLogStore,
    private readonly crls: CrlStore,
    private readonly providers: CaProviders,
    @Inject(TSA_TRUST) private readonly tsaRoots: CertificateInfo[],
  ) {}

  async export(recordId: string): Promise<EvidenceBundle> {
    const record = isValidObjectId(recordId) ? await this.records.findById(recordId) : null;
    if (!record) throw new NotFoundError(`No signature record ${recordId}`, { field: 'recordId' });
    if (record.status !== 'SIGNED' || !record.signResult || !record.signCert) {
      throw new ConflictError(`Signature record ${recordId} is ${record.status}: only a SIGNED record has evidence`);
    }
    const signer = parseCertificate(record.signCert);
    const auditEntries = await this.audit.forRecord(recordId);
    const files = evidenceFiles({
      record,
      signer,
      signerChain: this.signerChain(record, signer),
      tsaRoots: this.tsaRoots,
      auditEntries,
      anchors: await this.anchorsCovering(auditEntries),
      keptCrl: record.revocation ? await this.crls.bytesOf(record.revocation.crl.sm3) : undefined,
    });
    return { fileName: `evidence-${recordId}.zip`, zip: await zipOf(files, record.signedAt ?? new Date()) };
  }

  /** The chain the record kept at signing; for records made before it was kept, the vendor's roots of today. */
  private signerChain(record: StoredRecord, signer: CertificateInfo): CertificateInfo[] {
    if (record.signChain?.length) return record.signChain.map((der) => parseCertificate(der));
    return issuerPath(signer, this.providers.trustedRoots(record.provider));
  }

  /** For each entry the first anchor after it, each anchor once. */
  private async anchorsCovering(entries: AuditEntry[]): Promise<AuditEntry[]> {
    const anchors = new Map<number, AuditEntry>();
    for (const entry of entries) {
      if ([...anchors.keys()].some((seq) => seq > entry.seq)) continue;
      const anchor = await this.audit.firstAnchorAfter(entry.seq);
      if (!anchor) break;
      anchors.set(anchor.seq, anchor);
    }
    return [...anchors.values()];
  }
}

/** A deflated ZIP of the files, every entry dated `mtime` so the same evidence gives the same archive. */
function zipOf(files: BundleFile[], mtime: Date): Promise<Buffer> {
  const zip = new ZipFile();
  for (const file of files) {
    const data = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : file.data;
    zip.addBuffer(data, file.name, { mtime, mode: 0o100644 });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
