import { createHash } from 'node:crypto';
import { CertificateInfo, issuerPath, parseCertificate } from '../../crypto';
import { certificateInternals } from '../../crypto/certificate';
import { toPem } from '../../crypto/pem';
import { parseSignedData } from '../../crypto/pkcs7-parse';
import { matchesSid } from '../../crypto/pkcs7-verify';
import { signerLayout, tstInfoImprint } from './cms-layout';
import type { BundleFile } from './bundle-file';
import type { TokenInBundle } from './verify-instructions';

/** The TSA certificate that signed a token: the one its SignerInfo names by issuer and serial (or key id). */
export function tokenSigner(token: Buffer): CertificateInfo | undefined {
  const parsed = parseSignedData(token);
  const sid = parsed.signers[0]?.sid;
  if (!sid) return undefined;
  const certificates = parsed.certificates.map((der) => certificateInternals(parseCertificate(der)));
  return certificates.find((c) => matchesSid(c, sid))?.info;
}

/** A token, its TSA certificate and chain as bundle files, with what VERIFY.md needs to check it. */
export function bundleToken(
  token: Buffer,
  names: { token: string; data: string; prefix: string; tsaCertificate: string; tsaChain: string },
  facts: { imprintHash: string; genTime: Date; tsaRoots: CertificateInfo[] },
): { files: BundleFile[]; bundled: TokenInBundle; root?: CertificateInfo } {
  const layout = signerLayout(token);
  if (!layout.content) throw new Error('The timestamp token carries no TSTInfo');
  const imprint = tstInfoImprint(token.subarray(layout.content.offset, layout.content.offset + layout.content.length));
  const tsa = tokenSigner(token);
  if (!tsa) throw new Error('The timestamp token does not carry its TSA certificate');
  const chain = issuerPath(tsa, facts.tsaRoots);
  const files: BundleFile[] = [
    { name: names.token, data: token },
    { name: names.tsaCertificate, data: toPem(tsa.der, 'CERTIFICATE') },
    ...(chain.length ? [{ name: names.tsaChain, data: pemOf(chain) }] : []),
  ];
  const bundled: TokenInBundle = {
    token: names.token,
    data: names.data,
    tsaCertificate: names.tsaCertificate,
    ...(chain.length && { tsaChain: names.tsaChain }),
    imprintHash: facts.imprintHash,
    genTime: facts.genTime,
    layout,
    imprint,
    prefix: names.prefix,
  };
  return { files, bundled, root: chain.at(-1) };
}

export function pemOf(certificates: CertificateInfo[]): string {
  return certificates.map((c) => toPem(c.der, 'CERTIFICATE')).join('');
}

export function sha256Fingerprint(certificate: CertificateInfo): string {
  const hex = createHash('sha256').update(certificate.der).digest('hex').toUpperCase();
  return hex.match(/../g)!.join(':');
}
