import { generateKeyPair, KeyObject, randomBytes } from 'crypto';
import { promisify } from 'util';
import {
  buildCertificate,
  buildName,
  CertificateSigner,
  keyIdentifier,
  SubjectKey,
  subjectPublicKeyInfo,
} from './certificate-builder';
import { CertificateInfo, parseCertificate } from './certificate';
import { buildCrl } from './crl-builder';
import { KeyAlgorithm } from './constants';
import { CryptoError } from './errors';
import { pkijs } from './pkijs-engine';
import { sm2GenerateKeyPair } from './sm2';

const generateKeyPairAsync = promisify(generateKeyPair);
const DAY_MS = 86_400_000;
// Issued certificates start a little in the past so that a peer with a slow clock accepts them at once.
const BACKDATE_MS = 10 * 60_000;

export interface IssuedIdentity {
  cert: CertificateInfo;
  privateKey: string | KeyObject;
  keyAlgorithm: KeyAlgorithm;
  privateKeyHex?: string;
  publicKeyHex?: string;
}

export interface TestCrlOptions {
  revoked?: { serialNumber: string; revokedAt?: Date }[];
  thisUpdate?: Date;
  /** null leaves nextUpdate out. */
  nextUpdate?: Date | null;
  crlNumber?: number;
}

interface GeneratedKey {
  signer: CertificateSigner;
  subjectKey: SubjectKey;
  identity: Omit<IssuedIdentity, 'cert'>;
}

async function generateKey(keyAlgorithm: KeyAlgorithm): Promise<GeneratedKey> {
  if (keyAlgorithm === 'SM2') {
    const { privateKeyHex, publicKeyHex } = sm2GenerateKeyPair();
    return {
      signer: { keyAlgorithm, privateKeyHex },
      subjectKey: { keyAlgorithm, publicKeyHex },
      identity: { privateKey: privateKeyHex, keyAlgorithm, privateKeyHex, publicKeyHex },
    };
  }
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return {
    signer: { keyAlgorithm, privateKey },
    subjectKey: { keyAlgorithm, publicKey },
    identity: { privateKey, keyAlgorithm },
  };
}

function serialBytes(serialNumber?: string): Buffer {
  if (serialNumber === undefined) {
    const random = randomBytes(16);
    random[0] = (random[0] & 0x7f) | 0x01;
    return random;
  }
  const hex = serialNumber.replace(/[\s:]/g, '');
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw new CryptoError('INVALID_ARGUMENT', 'serialNumber must be hex');
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

/** Whole seconds: UTCTime cannot carry milliseconds, and the parsed certificate should match what was asked. */
function seconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * A real, self-signed certificate authority for simulators and tests: SM2 roots sign with SM2-with-SM3 and the
 * default user ID, RSA roots with sha256WithRSAEncryption; either may issue SM2 or RSA end-entity certificates.
 */
export class TestCertificateAuthority {
  private constructor(
    readonly root: IssuedIdentity,
    private readonly signer: CertificateSigner,
    private readonly name: pkijs.RelativeDistinguishedNames,
    private readonly keyId: Buffer,
  ) {}

  static async create(opts: {
    commonName: string;
    organization?: string;
    keyAlgorithm?: KeyAlgorithm;
    validDays?: number;
    notBefore?: Date;
  }): Promise<TestCertificateAuthority> {
    const key = await generateKey(opts.keyAlgorithm ?? 'SM2');
    const name = buildName([
      ...(opts.organization ? [['O', opts.organization] as [string, string]] : []),
      ['CN', opts.commonName],
    ]);
    const now = Date.now();
    const der = buildCertificate(
      {
        serialNumber: serialBytes(),
        issuer: name,
        subject: name,
        notBefore: seconds(opts.notBefore ?? new Date(now - BACKDATE_MS)),
        notAfter: seconds(new Date(now + (opts.validDays ?? 3650) * DAY_MS)),
        subjectKey: key.subjectKey,
        isCa: true,
      },
      key.signer,
    );
    const keyId = keyIdentifier(subjectPublicKeyInfo(key.subjectKey));
    return new TestCertificateAuthority({ ...key.identity, cert: parseCertificate(der) }, key.signer, name, keyId);
  }

  async issue(opts: {
    commonName: string;
    organization?: string;
    keyAlgorithm?: KeyAlgorithm;
    notBefore?: Date;
    notAfter?: Date;
    serialNumber?: string;
    extraSubject?: Record<string, string>;
    keyUsage?: number;
    extendedKeyUsage?: string[];
  }): Promise<IssuedIdentity> {
    const key = await generateKey(opts.keyAlgorithm ?? this.root.keyAlgorithm);
    const { C: country, ...extra } = opts.extraSubject ?? {};
    const attributes: [string, string][] = [
      ...(country ? [['C', country] as [string, string]] : []),
      ...(opts.organization ? [['O', opts.organization] as [string, string]] : []),
      ...Object.entries(extra),
      ['CN', opts.commonName],
    ];
    const notBefore = opts.notBefore ?? new Date(Date.now() - BACKDATE_MS);
    const der = buildCertificate(
      {
        serialNumber: serialBytes(opts.serialNumber),
        issuer: this.name,
        subject: buildName(attributes),
        notBefore: seconds(notBefore),
        notAfter: seconds(opts.notAfter ?? new Date(notBefore.getTime() + 365 * DAY_MS)),
        subjectKey: key.subjectKey,
        isCa: false,
        authorityKeyId: this.keyId,
        keyUsage: opts.keyUsage,
        extendedKeyUsage: opts.extendedKeyUsage,
      },
      this.signer,
    );
    return { ...key.identity, cert: parseCertificate(der) };
  }

  /** A DER CRL signed by this root (test-only: a real CA's CRLs come from its own PKI). */
  issueCrl(opts: TestCrlOptions = {}): Buffer {
    return buildCrl(
      {
        issuer: this.name,
        authorityKeyId: this.keyId,
        thisUpdate: seconds(opts.thisUpdate ?? new Date(Date.now() - BACKDATE_MS)),
        nextUpdate: opts.nextUpdate === null ? undefined : seconds(opts.nextUpdate ?? new Date(Date.now() + DAY_MS)),
        crlNumber: opts.crlNumber ?? 1,
        revoked: (opts.revoked ?? []).map((entry) => ({
          serialNumber: serialBytes(entry.serialNumber),
          revokedAt: seconds(entry.revokedAt ?? new Date(Date.now() - BACKDATE_MS)),
        })),
      },
      this.signer,
    );
  }
}
