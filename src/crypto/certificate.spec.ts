import { createPublicKey, publicEncrypt } from 'crypto';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { certificateInternals, checkValidity, loadCertificatesFromFiles, parseCertificate } from './certificate';
import { CryptoError } from './errors';
import { hasOpenssl, openssl, withTmpDir } from './openssl-cli.testing';
import { toPem } from './pem';
import { sm3Hex } from './sm3';
import { IssuedIdentity, TestCertificateAuthority } from './test-ca';

const notBefore = new Date('2024-01-01T00:00:00Z');
const notAfter = new Date('2034-01-01T00:00:00Z');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof CryptoError ? error.code : `not a CryptoError: ${String(error)}`;
  }
  return undefined;
}

describe(parseCertificate.name, () => {
  let sm2Ca: TestCertificateAuthority;
  let sm2User: IssuedIdentity;
  let rsaUser: IssuedIdentity;

  beforeAll(async () => {
    sm2Ca = await TestCertificateAuthority.create({ commonName: 'Hospital SM2 CA', organization: '省立医院' });
    sm2User = await sm2Ca.issue({
      commonName: '李护士',
      organization: '省立医院',
      extraSubject: { C: 'CN', OU: '护理部' },
      serialNumber: '80A1B2',
      notBefore,
      notAfter,
    });
    const rsaCa = await TestCertificateAuthority.create({ commonName: 'Hospital RSA CA', keyAlgorithm: 'RSA' });
    rsaUser = await rsaCa.issue({ commonName: 'Nurse Wang', serialNumber: '0102', notBefore, notAfter });
  });

  it('reads serial, names, validity and the SM2 key of an SM2 certificate', () => {
    const cert = sm2User.cert;
    expect(cert.serialNumber).toBe('80A1B2');
    expect(cert.subject).toBe('CN=李护士, OU=护理部, O=省立医院, C=CN');
    expect(cert.subjectCommonName).toBe('李护士');
    expect(cert.issuer).toBe('CN=Hospital SM2 CA, O=省立医院');
    expect(cert.notBefore).toEqual(notBefore);
    expect(cert.notAfter).toEqual(notAfter);
    expect(cert.keyAlgorithm).toBe('SM2');
    expect(cert.publicKeyHex).toBe(sm2User.publicKeyHex);
    expect(cert.publicKeyPem).toBeUndefined();
    expect(cert.fingerprintSm3).toBe(sm3Hex(cert.der));
    expect(Object.isFrozen(cert)).toBe(true);
  });

  it('reads an RSA certificate and exposes a PEM key usable by node crypto', () => {
    const cert = rsaUser.cert;
    expect(cert.serialNumber).toBe('0102');
    expect(cert.subject).toBe('CN=Nurse Wang');
    expect(cert.issuer).toBe('CN=Hospital RSA CA');
    expect(cert.keyAlgorithm).toBe('RSA');
    expect(cert.publicKeyHex).toBeUndefined();
    expect(createPublicKey(cert.publicKeyPem as string).asymmetricKeyType).toBe('rsa');
    expect(publicEncrypt(cert.publicKeyPem as string, Buffer.from('x')).length).toBe(256);
  });

  it('accepts DER, PEM, base64 and PEM held in a Buffer, and returns the cached object', () => {
    const { der } = sm2User.cert;
    const pem = toPem(der, 'CERTIFICATE');
    for (const input of [Buffer.from(der), pem, der.toString('base64'), Buffer.from(pem), `\n${pem}`]) {
      expect(parseCertificate(input)).toBe(sm2User.cert);
    }
  });

  it('marks CA certificates as such for path building', () => {
    expect(certificateInternals(sm2Ca.root.cert).isCa).toBe(true);
    expect(certificateInternals(sm2User.cert).isCa).toBe(false);
    expect(certificateInternals(sm2User.cert).keyCertSign).toBe(false);
  });

  it('throws CryptoError CERT_MALFORMED on garbage', () => {
    const { der } = sm2User.cert;
    expect(codeOf(() => parseCertificate('hello world!'))).toBe('CERT_MALFORMED');
    expect(codeOf(() => parseCertificate(''))).toBe('CERT_MALFORMED');
    expect(codeOf(() => parseCertificate(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])))).toBe('CERT_MALFORMED');
    expect(codeOf(() => parseCertificate(der.subarray(0, der.length - 1)))).toBe('CERT_MALFORMED');
    expect(codeOf(() => parseCertificate(Buffer.concat([der, Buffer.from([0])])))).toBe('CERT_MALFORMED');
    expect(codeOf(() => parseCertificate('-----BEGIN CERTIFICATE-----\nAAAA'))).toBe('CERT_MALFORMED');
  });

  (hasOpenssl ? it : it.skip)('agrees with OpenSSL on a certificate OpenSSL made', () => {
    withTmpDir((dir) => {
      openssl(['ecparam', '-name', 'SM2', '-genkey', '-noout', '-out', 'key.pem'], dir);
      openssl(
        [
          'req',
          '-new',
          '-x509',
          '-key',
          'key.pem',
          '-sm3',
          '-sigopt',
          'distid:1234567812345678',
          '-days',
          '30',
          '-utf8',
          '-subj',
          '/C=CN/O=测试 CA/CN=Root, "quoted"',
          '-set_serial',
          '0x00FF01',
          '-out',
          'cert.pem',
        ],
        dir,
      );
      const [cert] = loadCertificatesFromFiles([join(dir, 'cert.pem')]);
      const subject = openssl(['x509', '-in', 'cert.pem', '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb'], dir);
      // OpenSSL's RFC 2253 output omits the space after each separating comma.
      expect(`subject=${cert.subject}\n`).toBe(subject.toString('utf8').replace(/(?<!\\),/g, ', '));
      expect(cert.serialNumber).toBe('FF01');
      expect(cert.keyAlgorithm).toBe('SM2');
      const ecParamsFree = openssl(['ec', '-in', 'key.pem', '-pubout', '-outform', 'DER'], dir);
      expect(ecParamsFree.subarray(-65).toString('hex')).toBe(cert.publicKeyHex);
    });
  });

  (hasOpenssl ? it : it.skip)('refuses keys it cannot use (ECDSA P-256) with UNSUPPORTED_ALGORITHM', () => {
    withTmpDir((dir) => {
      openssl(
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-keyout',
          'k.pem',
          '-subj',
          '/CN=p256',
          '-days',
          '1',
          '-outform',
          'DER',
          '-out',
          'c.der',
        ],
        dir,
      );
      expect(codeOf(() => loadCertificatesFromFiles([join(dir, 'c.der')]))).toBe('UNSUPPORTED_ALGORITHM');
    });
  });
});

describe(checkValidity.name, () => {
  let user: IssuedIdentity;
  beforeAll(async () => {
    const ca = await TestCertificateAuthority.create({ commonName: 'Validity CA' });
    user = await ca.issue({ commonName: 'u', notBefore, notAfter });
  });

  it('is valid inside the period, including both edges', () => {
    expect(checkValidity(user.cert, new Date('2030-06-01T00:00:00Z'))).toEqual({ valid: true });
    expect(checkValidity(user.cert, notBefore).valid).toBe(true);
    expect(checkValidity(user.cert, notAfter).valid).toBe(true);
    expect(checkValidity(user.cert).valid).toBe(Date.now() < notAfter.getTime());
  });

  it('reports NOT_YET_VALID and EXPIRED', () => {
    expect(checkValidity(user.cert, new Date(notBefore.getTime() - 1000))).toEqual({
      valid: false,
      reason: 'NOT_YET_VALID',
    });
    expect(checkValidity(user.cert, new Date(notAfter.getTime() + 1000))).toEqual({ valid: false, reason: 'EXPIRED' });
  });
});

describe(loadCertificatesFromFiles.name, () => {
  it('reads PEM bundles, DER files and base64 files', async () => {
    const ca = await TestCertificateAuthority.create({ commonName: 'Files CA' });
    const user = await ca.issue({ commonName: 'file user' });
    withTmpDir((dir) => {
      writeFileSync(
        join(dir, 'bundle.pem'),
        `junk\n${toPem(user.cert.der, 'CERTIFICATE')}${toPem(ca.root.cert.der, 'CERTIFICATE')}`,
      );
      writeFileSync(join(dir, 'root.der'), ca.root.cert.der);
      writeFileSync(join(dir, 'user.cer'), user.cert.der.toString('base64'));
      const certs = loadCertificatesFromFiles(['bundle.pem', 'root.der', 'user.cer'].map((f) => join(dir, f)));
      expect(certs.map((c) => c.subjectCommonName)).toEqual(['file user', 'Files CA', 'Files CA', 'file user']);
    });
  });

  it('throws CryptoError for missing files and files without certificates', () => {
    withTmpDir((dir) => {
      expect(codeOf(() => loadCertificatesFromFiles([join(dir, 'missing.pem')]))).toBe('CERT_FILE_UNREADABLE');
      writeFileSync(join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
      expect(codeOf(() => loadCertificatesFromFiles([join(dir, 'key.pem')]))).toBe('CERT_MALFORMED');
    });
  });
});
