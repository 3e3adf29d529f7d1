import { CertificateInfo } from '../../crypto/certificate';
import { KeyAlgorithm } from '../../crypto/constants';
import { OID } from '../../crypto/oids';
import { toPem } from '../../crypto/pem';
import { IssuedIdentity, TestCertificateAuthority } from '../../crypto/test-ca';

// digitalSignature + nonRepudiation: OpenSSL refuses a TSA certificate whose keyUsage allows anything else.
const TSA_KEY_USAGE = 0xc0;

/** One TSA per algorithm, each under its own root, as a GM/T 0033 and an RFC 3161 TSA would be. */
export class TsaSimAuthority {
  private constructor(
    readonly tsas: Readonly<Record<KeyAlgorithm, IssuedIdentity>>,
    readonly roots: Readonly<Record<KeyAlgorithm, CertificateInfo>>,
  ) {}

  static async create(): Promise<TsaSimAuthority> {
    const make = async (keyAlgorithm: KeyAlgorithm) => {
      const ca = await TestCertificateAuthority.create({
        commonName: `MNIS Simulated TSA Root ${keyAlgorithm} (NOT FOR PRODUCTION)`,
        organization: 'MNIS Simulators',
        keyAlgorithm,
      });
      const tsa = await ca.issue({
        commonName: `MNIS Simulated TSA ${keyAlgorithm}`,
        organization: 'MNIS Simulators',
        keyUsage: TSA_KEY_USAGE,
        extendedKeyUsage: [OID.timeStamping],
        notAfter: new Date(Date.now() + 5 * 365 * 86_400_000),
      });
      return { tsa, root: ca.root.cert };
    };
    const [sm2, rsa] = await Promise.all([make('SM2'), make('RSA')]);
    return new TsaSimAuthority({ SM2: sm2.tsa, RSA: rsa.tsa }, { SM2: sm2.root, RSA: rsa.root });
  }

  get rootsPem(): string {
    return toPem(this.roots.SM2.der, 'CERTIFICATE') + toPem(this.roots.RSA.der, 'CERTIFICATE');
  }
}
