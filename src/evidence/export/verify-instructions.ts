import type { ByteRange, SignerLayout } from './cms-layout';
import { CRL_FILE, crlCommands, CrlInBundle } from './crl-in-bundle';

/** The SM2 user ID Chinese CAs sign with (GM/T 0009); OpenSSL needs it spelled out. */
export const SM2_DISTID = '1234567812345678';

/** A TSA token in the bundle and the file its imprint covers. */
export interface TokenInBundle {
  token: string;
  /** The file whose hash the token's message imprint is. */
  data: string;
  /** The TSA's certificate and its issuers up to its root, as files of the bundle (the chain may be absent). */
  tsaCertificate: string;
  tsaChain?: string;
  /** The imprint's hash algorithm, as OpenSSL names it (sm3, sha256). */
  imprintHash: string;
  genTime: Date;
  layout: SignerLayout;
  /** The hashedMessage inside the TSTInfo (needed for SM2 tokens, which `openssl ts -verify` cannot check). */
  imprint: ByteRange;
  /** A prefix for the files the commands write, so that several tokens can be checked in one folder. */
  prefix: string;
}

export interface BundleDescription {
  recordId: string;
  docType: string;
  docId: string;
  userCode: string;
  envelopeVersion: number;
  signatureFile: 'signature.der' | 'signature.p7s';
  signerAlgorithm: 'SM2' | 'RSA';
  /** For signature.p7s. */
  p7Layout?: SignerLayout;
  /** chain.pem holds the signer's issuers up to the trusted root it chained to at signing. */
  chain: boolean;
  /** SHA-256 fingerprints of the roots in chain.pem and tsa-chain.pem, to compare with roots obtained elsewhere. */
  rootFingerprints: { file: string; subject: string; sha256: string }[];
  /** The instant the certificates are checked at: genTime of a granted timestamp, else the gateway's signing time. */
  checkAt: { at: Date; source: 'genTime' | 'signedAt' };
  timestamp: { status: 'GRANTED'; bundled: TokenInBundle } | { status: 'PENDING' | 'FAILED' | 'NONE' };
  auditEntries: number;
  anchors: { seq: number; headSeq: number; bundled?: TokenInBundle }[];
  revocation: CrlInBundle;
}

const epoch = (at: Date): number => Math.floor(at.getTime() / 1000);
const fence = (lines: string[]): string => ['```sh', ...lines, '```'].join('\n');

/** The commands that check `data` against an SM2 SignedData (a PKCS#7 signature or an SM2 timestamp token). */
function sm2SignedDataCommands(file: string, content: string, layout: SignerLayout, signer: string, prefix: string) {
  const pub = `${prefix}signer.pub.pem`;
  const lines = [
    `openssl x509 -in ${signer} -pubkey -noout -out ${pub}`,
    `openssl asn1parse -inform DER -in ${file} -strparse ${layout.signatureOctetString} -noout -out ${prefix}signature-value.der`,
  ];
  if (!layout.signedAttributesAfterTag || !layout.messageDigest) {
    return lines.concat(
      `openssl dgst -sm3 -verify ${pub} -sigopt distid:${SM2_DISTID} -signature ${prefix}signature-value.der ${content}`,
    );
  }
  const attrs = layout.signedAttributesAfterTag;
  const digest = layout.messageDigest;
  return lines.concat([
    `openssl dgst -${layout.digest} -binary -out ${prefix}content.digest ${content}`,
    `openssl asn1parse -inform DER -in ${file} -offset ${digest.offset} -length ${digest.length} -noout -out ${prefix}message-digest.bin`,
    `cmp ${prefix}content.digest ${prefix}message-digest.bin`,
    `openssl asn1parse -inform DER -in ${file} -offset ${attrs.offset} -length ${attrs.length} -noout -out ${prefix}signed-attrs.tail`,
    `printf '\\061' | cat - ${prefix}signed-attrs.tail > ${prefix}signed-attrs.der`,
    `openssl dgst -sm3 -verify ${pub} -sigopt distid:${SM2_DISTID} -signature ${prefix}signature-value.der ${prefix}signed-attrs.der`,
  ]);
}

function chainCommand(algorithm: 'SM2' | 'RSA', chain: string, cert: string, at: Date, purpose?: string): string {
  const distid = algorithm === 'SM2' ? ` -vfyopt distid:${SM2_DISTID}` : '';
  return `openssl verify${distid} -attime ${epoch(at)}${purpose ? ` -purpose ${purpose}` : ''} -CAfile ${chain} ${cert}`;
}

/** Commands that check a timestamp token over `data`: its imprint, the TSA's signature and the TSA's chain. */
export function tokenCommands(t: TokenInBundle): string[] {
  const at = epoch(t.genTime);
  const chain = t.tsaChain
    ? [chainCommand(t.layout.signatureAlgorithm, t.tsaChain, t.tsaCertificate, t.genTime, 'timestampsign')]
    : [];
  if (t.layout.signatureAlgorithm === 'RSA') {
    const trust = t.tsaChain ? `-CAfile ${t.tsaChain}` : `-partial_chain -CAfile ${t.tsaCertificate}`;
    return [
      `openssl ts -verify -data ${t.data} -in ${t.token} -token_in ${trust} -untrusted ${t.tsaCertificate} -attime ${at}`,
      ...chain,
    ];
  }
  const content = t.layout.content;
  if (!content) throw new Error('A timestamp token without its TSTInfo');
  return [
    `openssl asn1parse -inform DER -in ${t.token} -offset ${content.offset} -length ${content.length} -noout -out ${t.prefix}tstinfo.der`,
    `openssl dgst -${t.imprintHash} -binary -out ${t.prefix}imprint-expected.bin ${t.data}`,
    `openssl asn1parse -inform DER -in ${t.prefix}tstinfo.der -offset ${t.imprint.offset} -length ${t.imprint.length} -noout -out ${t.prefix}imprint-stamped.bin`,
    `cmp ${t.prefix}imprint-expected.bin ${t.prefix}imprint-stamped.bin`,
    ...sm2SignedDataCommands(t.token, `${t.prefix}tstinfo.der`, t.layout, t.tsaCertificate, t.prefix),
    ...chain,
  ];
}

function signatureSection(d: BundleDescription): string[] {
  if (d.signatureFile === 'signature.der') {
    return [
      '## 2. The signature (raw SM2 over signed.json)',
      '',
      '`signature.der` is the DER SM2 signature (r, s) the vendor returned, over the bytes of `signed.json` with SM3 and',
      `the user ID \`${SM2_DISTID}\`. The public key is taken from \`signer.pem\`.`,
      '',
      fence([
        'openssl x509 -in signer.pem -pubkey -noout -out signer.pub.pem',
        `openssl dgst -sm3 -verify signer.pub.pem -sigopt distid:${SM2_DISTID} -signature signature.der signed.json`,
      ]),
    ];
  }
  const layout = d.p7Layout!;
  if (layout.signatureAlgorithm === 'RSA') {
    const trust = d.chain ? `-CAfile chain.pem -attime ${epoch(d.checkAt.at)} -purpose any` : '-noverify';
    return [
      '## 2. The signature (RSA PKCS#7 over signed.json)',
      '',
      '`signature.p7s` is the PKCS#7 SignedData (DER) the vendor returned. OpenSSL checks the signature over the bytes of',
      '`signed.json` given as the content, and the signer certificate against `chain.pem` at the time of section 3.',
      '',
      fence([
        `openssl cms -verify -inform DER -in signature.p7s -content signed.json -binary ${trust} -out p7-content.bin`,
      ]),
    ];
  }
  return [
    '## 2. The signature (SM2 PKCS#7 over signed.json)',
    '',
    '`signature.p7s` is the PKCS#7 SignedData (DER) the vendor returned. OpenSSL 3.0 cannot verify an SM2 SignedData',
    `signed with the user ID \`${SM2_DISTID}\`, so the pieces are checked one by one: the \`messageDigest\` signed`,
    `attribute must be ${layout.digest.toUpperCase()} of \`signed.json\` (\`cmp\` fails otherwise); \`openssl asn1parse\` cuts the signed`,
    'attributes out of the file (their [0] IMPLICIT tag is written back as the SET tag 0x31, which is what the signer',
    'signed) and the signature value; `openssl dgst` checks the SM2 signature over them with the key of `signer.pem`.',
    ...(layout.signedAttributesAfterTag
      ? []
      : ['This signature has no signed attributes: it is over the content itself.']),
    '',
    fence(sm2SignedDataCommands('signature.p7s', 'signed.json', layout, 'signer.pem', 'p7-')),
  ];
}

function timestampSection(d: BundleDescription): string[] {
  const head = '## 4. The trusted timestamp (RFC 3161 / GM/T 0033)';
  if (d.timestamp.status !== 'GRANTED') {
    const why =
      d.timestamp.status === 'NONE'
        ? 'This record has no timestamp (it was signed with timestamps disabled, or before they existed).'
        : `The timestamp is still ${d.timestamp.status}: the gateway keeps asking its TSA, and a bundle exported after it is GRANTED contains timestamp.tsr.`;
    return [
      head,
      '',
      `There is no \`timestamp.tsr\` in this bundle. ${why}`,
      "Until then the certificates are checked at the gateway's own signing time.",
    ];
  }
  const t = d.timestamp.bundled;
  const rsa = t.layout.signatureAlgorithm === 'RSA';
  return [
    head,
    '',
    `\`timestamp.tsr\` is the TSA's TimeStampToken (DER CMS, \`-token_in\`) over ${t.imprintHash.toUpperCase()} of \`${t.data}\`: it proves the`,
    `signature existed at genTime ${t.genTime.toISOString()} (${epoch(t.genTime)} seconds since 1970). \`tsa.pem\` is the TSA's`,
    'certificate and `tsa-chain.pem` its issuers up to the TSA root the gateway trusted.',
    rsa
      ? "`openssl ts -verify` checks the imprint, the TSA's RSA signature and its chain."
      : 'OpenSSL 3.0 cannot verify an SM2 token with `openssl ts -verify`: the TSTInfo is cut out, its imprint compared with the hash of the signature file (`cmp`), its `messageDigest` with the hash of the TSTInfo, and the SM2 signature over the signed attributes checked with `openssl dgst`.',
    '',
    fence([`openssl ts -reply -in timestamp.tsr -token_in -text`, ...tokenCommands(t)]),
  ];
}

function auditSection(d: BundleDescription): string[] {
  const lines = [
    '## 5. The audit trail',
    '',
    `\`audit.jsonl\` holds the audit entries about this record (${d.auditEntries}) and the anchor entries after them (${d.anchors.length}), one JSON`,
    "object a line, exactly as the gateway's append-only chain `caAuditLog` stores them. Each entry's `hash` is",
    'SM3(prevHash ‖ JCS(entry without `hash` and `mac`)), both as UTF-8, where JCS is RFC 8785 canonical JSON and the',
    "first entry of the chain has 64 zeros as prevHash; `mac` is HMAC-SM3 with the gateway's key and needs that key.",
    'An anchor entry stamps the chain head (`anchor.headSeq`, `anchor.headHash`) with a trusted timestamp: nothing up to',
    'that entry can be rewritten afterwards without the token no longer matching. The entries in between belong to other',
    'records and are not in this bundle; the gateway checks the whole chain with `npm run audit:verify`.',
  ];
  const tokens = d.anchors.filter((a) => a.bundled);
  if (tokens.length === 0) return lines.concat('', 'No anchor covers these entries yet.');
  lines.push(
    '',
    'Each anchor token, over the head hash it names (`audit-anchors/<seq>.head`, its 64 hex characters):',
    '',
  );
  for (const anchor of tokens) {
    lines.push(
      `Anchor at seq ${anchor.seq} (head seq ${anchor.headSeq}):`,
      '',
      fence(tokenCommands(anchor.bundled!)),
      '',
    );
  }
  return lines;
}

function revocationSection(d: BundleDescription): string[] {
  const head = '## 6. Revocation (the CRL the gateway checked the signer against)';
  const r = d.revocation;
  if (r.status === 'NONE') {
    return [
      head,
      '',
      `No revocation data was kept for this record: no CRL of the signer's issuer was loaded when it was signed, so there`,
      `is no \`${CRL_FILE}\` in this bundle and nothing here says whether the certificate was revoked.`,
    ];
  }
  const crl = r.check.crl;
  const named = `the CRL of ${crl.issuer} (number ${crl.number ?? '-'}, thisUpdate ${crl.thisUpdate.toISOString()}, SM3 ${crl.sm3})`;
  if (r.status !== 'BUNDLED') {
    const why =
      r.status === 'NOT_KEPT'
        ? 'its bytes are no longer kept by the gateway'
        : 'the bytes the gateway keeps under that digest no longer match it (they were changed after they were kept)';
    return [
      head,
      '',
      `At ${r.check.checkedAt.toISOString()} the gateway found the signer not revoked on ${named}, but ${why}: there is no \`${CRL_FILE}\` in this bundle.`,
    ];
  }
  return [
    head,
    '',
    `\`${CRL_FILE}\` is ${named}, on which the gateway found the signer not revoked at ${r.check.checkedAt.toISOString()}${r.check.stale ? ' (the CRL was then past its nextUpdate)' : ''}.`,
    'The commands check that its SM3 digest is the one the record names (`grep` fails otherwise), that it is signed by',
    "the signer's issuer in `chain.pem` and issued under the signer's issuer name (`cmp`), and that the signer's serial",
    'number is not on it (the last command fails when it is).',
    r.layout.signatureAlgorithm === 'RSA'
      ? '`openssl crl -verify` exits 0 even when the signature fails, so its "verify OK" is checked with `grep`.'
      : 'OpenSSL 3.0 cannot verify an SM2 CRL signed with the user ID `' +
        SM2_DISTID +
        "`: `openssl asn1parse` cuts out the signed part (tbsCertList) and the signature value, and `openssl dgst` checks the signature with the key of the first certificate of `chain.pem`, the signer's issuer.",
    ...(d.chain ? [] : ["There is no `chain.pem`, so the CRL's signature cannot be checked here."]),
    '',
    fence(crlCommands(crl.sm3, r.layout, d.chain)),
  ];
}

/** VERIFY.md: what the bundle holds and the exact OpenSSL 3 commands that check each piece without the gateway. */
export function verifyInstructions(d: BundleDescription): string {
  const envelope =
    d.envelopeVersion === 2
      ? [
          '`signed.json` is the exact UTF-8 byte string that was signed: the RFC 8785 (JCS) canonical JSON of',
          '`{"v":2,"docType","docId","content","userCode","recordId","claimedAt"}`. Whoever holds the record can rebuild it',
          `from the record alone (docType \`${d.docType}\`, docId \`${d.docId}\`, userCode \`${d.userCode}\`, recordId \`${d.recordId}\`, its`,
          'claimedAt and content): a signature moved onto another document, signer or record no longer matches.',
        ]
      : [
          '`signed.json` is the exact UTF-8 byte string that was signed. This record was made before envelope version 2:',
          'its bytes are the canonical JSON of the document content alone (keys sorted, no whitespace).',
        ];
  const checkAt =
    d.checkAt.source === 'genTime'
      ? `the timestamp's genTime, ${d.checkAt.at.toISOString()}`
      : `the gateway's signing time, ${d.checkAt.at.toISOString()} (no granted timestamp)`;
  const chain = d.chain
    ? [
        fence([chainCommand(d.signerAlgorithm, 'chain.pem', 'signer.pem', d.checkAt.at)]),
        ...(d.signerAlgorithm === 'RSA'
          ? ['', `(\`-vfyopt distid:…\` is for SM2 certificates only; OpenSSL refuses it for RSA ones.)`]
          : []),
      ]
    : [
        'The gateway had no trusted roots configured for this vendor at signing, so `chain.pem` is absent and only the signature can be checked.',
      ];
  const roots = d.rootFingerprints.map((r) => `- \`${r.file}\`: ${r.subject}, SHA-256 ${r.sha256}`);
  return [
    `# Evidence of signature record ${d.recordId}`,
    '',
    'Every check below runs without this gateway, with OpenSSL 3.0 or later and a POSIX shell, in the folder this file',
    'was unpacked to. Each command exits with status 0 when its check passes and non-zero when it fails.',
    '',
    '## 1. The signed bytes',
    '',
    ...envelope,
    '',
    ...signatureSection(d),
    '',
    `## 3. The signer's certificate chain at ${d.checkAt.at.toISOString()}`,
    '',
    `\`signer.pem\` is the signer's certificate, \`chain.pem\` its issuers up to the trusted root. Both are checked at ${checkAt}`,
    `(\`-attime ${epoch(d.checkAt.at)}\`, seconds since 1970), so a certificate that has expired since still verifies.`,
    '',
    ...chain,
    '',
    ...timestampSection(d),
    '',
    ...auditSection(d),
    '',
    ...revocationSection(d),
    '',
    '## Trust',
    '',
    'The commands prove the pieces fit together and chain to the roots in this bundle. Compare those roots with copies',
    'obtained from the CA and the TSA themselves (`openssl x509 -in <file> -noout -fingerprint -sha256` on each):',
    '',
    ...(roots.length ? roots : ['- (no roots: no chain was kept)']),
    '',
  ].join('\n');
}
