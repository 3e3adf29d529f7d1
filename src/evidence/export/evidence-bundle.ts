import type { CertificateInfo } from '../../crypto';
import { toPem } from '../../crypto/pem';
import type { StoredRecord } from '../../signing/schemas/ca-extended-data.schema';
import type { AuditEntry } from '../audit/audit-entry';
import { envelopeVersionOf } from '../envelope';
import type { BundleFile } from './bundle-file';
import { signerLayout } from './cms-layout';
import { bundleCrl } from './crl-in-bundle';
import { bundleToken, pemOf, sha256Fingerprint } from './token-in-bundle';
import { BundleDescription, verifyInstructions } from './verify-instructions';

export interface EvidenceInput {
  /** A SIGNED record. */
  record: StoredRecord;
  signer: CertificateInfo;
  /** The signer's issuers up to its trusted root (empty when none was known). */
  signerChain: CertificateInfo[];
  tsaRoots: CertificateInfo[];
  /** The record's audit entries and the anchors after them, as the chain stores them. */
  auditEntries: AuditEntry[];
  anchors: AuditEntry[];
  /** The bytes caCrls keeps under the record's `revocation.crl.sm3`, if any. */
  keptCrl?: Buffer;
}

/** The files of a record's evidence bundle, VERIFY.md last: everything a third party needs to check it offline. */
export function evidenceFiles(input: EvidenceInput): BundleFile[] {
  const { record, signer, signerChain } = input;
  const signature = Buffer.from(record.signResult!, 'base64');
  const p7 = record.signFormat !== 'SM2_DER';
  const signatureFile = p7 ? 'signature.p7s' : 'signature.der';
  const files: BundleFile[] = [
    { name: 'signed.json', data: Buffer.from(record.signedContent, 'utf8') },
    { name: signatureFile, data: signature },
    { name: 'signer.pem', data: toPem(signer.der, 'CERTIFICATE') },
  ];
  const roots: BundleDescription['rootFingerprints'] = [];
  if (signerChain.length) {
    files.push({ name: 'chain.pem', data: pemOf(signerChain) });
    roots.push(rootFingerprint('chain.pem', signerChain.at(-1)!));
  }

  let timestamp: BundleDescription['timestamp'] = { status: record.timestamp?.status ?? 'NONE' } as {
    status: 'PENDING' | 'FAILED' | 'NONE';
  };
  let checkAt: BundleDescription['checkAt'] = { at: record.signedAt!, source: 'signedAt' };
  const stamp = record.timestamp;
  if (stamp?.status === 'GRANTED' && stamp.token && stamp.genTime) {
    const token = bundleToken(
      Buffer.from(stamp.token, 'base64'),
      {
        token: 'timestamp.tsr',
        data: signatureFile,
        prefix: 'tsa-',
        tsaCertificate: 'tsa.pem',
        tsaChain: 'tsa-chain.pem',
      },
      { imprintHash: stamp.hashAlgorithm ?? 'sm3', genTime: stamp.genTime, tsaRoots: input.tsaRoots },
    );
    files.push(...token.files);
    if (token.root) roots.push(rootFingerprint('tsa-chain.pem', token.root));
    timestamp = { status: 'GRANTED', bundled: token.bundled };
    checkAt = { at: stamp.genTime, source: 'genTime' };
  }

  const anchors: BundleDescription['anchors'] = [];
  for (const entry of input.anchors) {
    const anchor = entry.anchor!;
    const dir = `audit-anchors/${entry.seq}`;
    const token = bundleToken(
      Buffer.from(anchor.token, 'base64'),
      {
        token: `${dir}.tsr`,
        data: `${dir}.head`,
        prefix: `${dir}-`,
        tsaCertificate: `${dir}-tsa.pem`,
        tsaChain: `${dir}-tsa-chain.pem`,
      },
      { imprintHash: anchor.hashAlgorithm, genTime: new Date(anchor.genTime), tsaRoots: input.tsaRoots },
    );
    files.push({ name: `${dir}.head`, data: anchor.headHash }, ...token.files);
    anchors.push({ seq: entry.seq, headSeq: anchor.headSeq, bundled: token.bundled });
  }
  const lines = [...input.auditEntries, ...input.anchors].sort((a, b) => a.seq - b.seq);
  files.push({ name: 'audit.jsonl', data: lines.map((entry) => `${JSON.stringify(entry)}\n`).join('') });

  const revocation = bundleCrl(record.revocation, input.keptCrl);
  files.push(...revocation.files);

  const description: BundleDescription = {
    recordId: String(record._id),
    docType: record.docType,
    docId: record.docId,
    userCode: record.userCode,
    envelopeVersion: envelopeVersionOf(record),
    signatureFile,
    signerAlgorithm: signer.keyAlgorithm,
    ...(p7 && { p7Layout: signerLayout(signature) }),
    chain: signerChain.length > 0,
    rootFingerprints: roots,
    checkAt,
    timestamp,
    auditEntries: input.auditEntries.length,
    anchors,
    revocation: revocation.crl,
  };
  files.push({ name: 'VERIFY.md', data: verifyInstructions(description) });
  return files;
}

function rootFingerprint(file: string, root: CertificateInfo) {
  return { file, subject: root.subject, sha256: sha256Fingerprint(root) };
}
