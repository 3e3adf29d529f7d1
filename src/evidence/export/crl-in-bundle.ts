import { DEFAULT_SM2_USER_ID } from '../../crypto/constants';
import { childrenOf, oidOf, readSingle } from '../../crypto/der';
import { SM2_SIGNATURE_OIDS } from '../../crypto/oids';
import { sm3Hex } from '../../crypto/sm3';
import type { RevocationRef } from '../crl/revocation-ref.schema';
import type { BundleFile } from './bundle-file';
import type { ByteRange } from './cms-layout';

/** Where a CRL's signed part and signature sit, so that `openssl asn1parse` can cut them out. */
export interface CrlLayout {
  tbs: ByteRange;
  /** Offset of the signatureValue BIT STRING (for `-strparse`). */
  signatureBitString: number;
  signatureAlgorithm: 'SM2' | 'RSA';
}

/** What VERIFY.md says about revocation: the kept CRL in the bundle, why it is not there, or that none was used. */
export type CrlInBundle =
  | { status: 'BUNDLED'; check: RevocationRef; layout: CrlLayout }
  | { status: 'NOT_KEPT' | 'MISMATCH'; check: RevocationRef }
  | { status: 'NONE' };

export const CRL_FILE = 'crl.der';

export function crlLayout(der: Buffer): CrlLayout {
  const [tbs, algorithm, signature] = childrenOf(readSingle(der));
  if (!tbs || !algorithm || !signature) throw new Error('Not a CRL: CertificateList needs three parts');
  const algorithmOid = oidOf(childrenOf(algorithm)[0]);
  return {
    tbs: { offset: tbs.start, length: tbs.end - tbs.start },
    signatureBitString: signature.start,
    signatureAlgorithm: SM2_SIGNATURE_OIDS.has(algorithmOid) ? 'SM2' : 'RSA',
  };
}

/** The record's kept CRL as `crl.der`, only when the kept bytes still have the digest the record names. */
export function bundleCrl(
  check: RevocationRef | undefined,
  kept: Buffer | undefined,
): { files: BundleFile[]; crl: CrlInBundle } {
  if (!check) return { files: [], crl: { status: 'NONE' } };
  if (!kept) return { files: [], crl: { status: 'NOT_KEPT', check } };
  if (sm3Hex(kept) !== check.crl.sm3) return { files: [], crl: { status: 'MISMATCH', check } };
  return { files: [{ name: CRL_FILE, data: kept }], crl: { status: 'BUNDLED', check, layout: crlLayout(kept) } };
}

/**
 * Commands that check crl.der: its SM3 against the record's, its signature by the signer's issuer in chain.pem, that
 * it is that issuer's list, and that the signer's serial is not on it. `openssl crl -verify` prints "verify failure"
 * and still exits 0, hence the grep; OpenSSL 3.0 cannot verify an SM2 CRL with the user ID, hence asn1parse + dgst.
 */
export function crlCommands(sm3: string, layout: CrlLayout, chain: boolean): string[] {
  const der = `-inform DER -in ${CRL_FILE}`;
  const signature =
    layout.signatureAlgorithm === 'RSA'
      ? [`openssl crl ${der} -noout -verify -CAfile chain.pem 2>&1 | grep -qx 'verify OK'`]
      : [
          'openssl x509 -in chain.pem -pubkey -noout -out crl-issuer.pub.pem',
          `openssl asn1parse ${der} -offset ${layout.tbs.offset} -length ${layout.tbs.length} -noout -out crl-tbs.der`,
          `openssl asn1parse ${der} -strparse ${layout.signatureBitString} -noout -out crl-signature.der`,
          `openssl dgst -sm3 -verify crl-issuer.pub.pem -sigopt distid:${DEFAULT_SM2_USER_ID} -signature crl-signature.der crl-tbs.der`,
        ];
  return [
    `openssl crl ${der} -noout -issuer -crlnumber -lastupdate -nextupdate`,
    `openssl dgst -sm3 -r ${CRL_FILE} | grep -q '^${sm3} '`,
    ...(chain ? signature : []),
    'openssl x509 -in signer.pem -noout -issuer > signer-issuer.txt',
    `openssl crl ${der} -noout -issuer > crl-issuer.txt`,
    'cmp signer-issuer.txt crl-issuer.txt',
    `openssl crl ${der} -noout -text -out crl.txt`,
    'serial=$(openssl x509 -in signer.pem -noout -serial | cut -d= -f2) && test -n "$serial" && ! grep -q "Serial Number: $serial\\$" crl.txt',
  ];
}
