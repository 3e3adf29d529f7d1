import { randomBytes } from 'crypto';
import { CertificateInfo, parseCertificate } from './certificate';
import { verifyCertificateSignature, verifyChain } from './certificate-chain';
import { buildCertificate, buildName } from './certificate-builder';
import { sm2GenerateKeyPair } from './sm2';
import { IssuedIdentity, TestCertificateAuthority } from './test-ca';

interface Node {
  cert: CertificateInfo;
  privateKeyHex: string;
  name: ReturnType<typeof buildName>;
}

const validFrom = new Date('2024-01-01T00:00:00Z');
const validTo = new Date('2044-01-01T00:00:00Z');

/** An SM2 certificate signed by `issuer` (self-signed when absent). */
function sm2Node(commonName: string, isCa: boolean, issuer?: Node): Node {
  const keys = sm2GenerateKeyPair();
  const name = buildName([['CN', commonName]]);
  const der = buildCertificate(
    {
      serialNumber: randomBytes(8),
      issuer: issuer?.name ?? name,
      subject: name,
      notBefore: validFrom,
      notAfter: validTo,
      subjectKey: { keyAlgorithm: 'SM2', publicKeyHex: keys.publicKeyHex },
      isCa,
    },
    { keyAlgorithm: 'SM2', privateKeyHex: issuer?.privateKeyHex ?? keys.privateKeyHex },
  );
  return { cert: parseCertificate(der), privateKeyHex: keys.privateKeyHex, name };
}

const at = new Date('2030-01-01T00:00:00Z');

describe(verifyCertificateSignature.name, () => {
  let sm2Ca: TestCertificateAuthority;
  let rsaCa: TestCertificateAuthority;
  let sm2User: IssuedIdentity;
  let rsaUser: IssuedIdentity;

  beforeAll(async () => {
    sm2Ca = await TestCertificateAuthority.create({ commonName: 'SM2 CA' });
    rsaCa = await TestCertificateAuthority.create({ commonName: 'RSA CA', keyAlgorithm: 'RSA' });
    sm2User = await sm2Ca.issue({ commonName: 'sm2 user' });
    rsaUser = await rsaCa.issue({ commonName: 'rsa user' });
  });

  it('accepts certificates signed by the issuer (SM2 and RSA)', () => {
    expect(verifyCertificateSignature(sm2User.cert, sm2Ca.root.cert)).toBe(true);
    expect(verifyCertificateSignature(rsaUser.cert, rsaCa.root.cert)).toBe(true);
    expect(verifyCertificateSignature(sm2Ca.root.cert, sm2Ca.root.cert)).toBe(true);
  });

  it('rejects the wrong issuer, the wrong user ID and a tampered signature', async () => {
    const otherSm2Ca = await TestCertificateAuthority.create({ commonName: 'SM2 CA' });
    expect(verifyCertificateSignature(sm2User.cert, otherSm2Ca.root.cert)).toBe(false);
    expect(verifyCertificateSignature(sm2User.cert, rsaCa.root.cert)).toBe(false);
    expect(verifyCertificateSignature(rsaUser.cert, sm2Ca.root.cert)).toBe(false);
    expect(verifyCertificateSignature(sm2User.cert, sm2Ca.root.cert, 'another-id')).toBe(false);
    for (const user of [sm2User, rsaUser]) {
      const der = Buffer.from(user.cert.der);
      der[der.length - 5] ^= 0x01;
      expect(
        verifyCertificateSignature(parseCertificate(der), user === sm2User ? sm2Ca.root.cert : rsaCa.root.cert),
      ).toBe(false);
    }
  });

  it('uses the DER, not edited fields, and never throws', () => {
    const forged = { ...rsaCa.root.cert, publicKeyHex: sm2Ca.root.cert.publicKeyHex, keyAlgorithm: 'SM2' as const };
    expect(verifyCertificateSignature(sm2User.cert, forged)).toBe(false);
    const broken = { ...sm2User.cert, der: Buffer.from('garbage') };
    expect(verifyCertificateSignature(broken, sm2Ca.root.cert)).toBe(false);
  });

  it('supports cross-algorithm issuance (SM2 CA -> RSA user, RSA CA -> SM2 user)', async () => {
    const rsaUnderSm2 = await sm2Ca.issue({ commonName: 'rsa under sm2', keyAlgorithm: 'RSA' });
    const sm2UnderRsa = await rsaCa.issue({ commonName: 'sm2 under rsa', keyAlgorithm: 'SM2' });
    expect(rsaUnderSm2.cert.keyAlgorithm).toBe('RSA');
    expect(sm2UnderRsa.cert.keyAlgorithm).toBe('SM2');
    expect(verifyCertificateSignature(rsaUnderSm2.cert, sm2Ca.root.cert)).toBe(true);
    expect(verifyCertificateSignature(sm2UnderRsa.cert, rsaCa.root.cert)).toBe(true);
  });
});

describe(verifyChain.name, () => {
  const root = sm2Node('Root', true);
  const intermediate = sm2Node('Intermediate', true, root);
  const leaf = sm2Node('Leaf', false, intermediate);

  it('accepts a leaf that chains to a trusted root directly or through intermediates', async () => {
    const ca = await TestCertificateAuthority.create({ commonName: 'Direct CA' });
    const user = await ca.issue({ commonName: 'direct' });
    expect(verifyChain(user.cert, [ca.root.cert])).toEqual({ valid: true });
    expect(verifyChain(leaf.cert, [root.cert], [intermediate.cert], at)).toEqual({ valid: true });
    expect(verifyChain(root.cert, [root.cert], [], at)).toEqual({ valid: true });
  });

  it('reports UNTRUSTED without a path to a trusted root', () => {
    const stranger = sm2Node('Root', true);
    expect(verifyChain(leaf.cert, [root.cert], [], at)).toEqual({ valid: false, reason: 'UNTRUSTED' });
    expect(verifyChain(leaf.cert, [], [intermediate.cert], at)).toEqual({ valid: false, reason: 'UNTRUSTED' });
    expect(verifyChain(intermediate.cert, [stranger.cert], [], at)).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
  });

  it('checks the validity period of every link', () => {
    expect(verifyChain(leaf.cert, [root.cert], [intermediate.cert], new Date('2050-01-01T00:00:00Z'))).toEqual({
      valid: false,
      reason: 'EXPIRED',
    });
    expect(verifyChain(leaf.cert, [root.cert], [intermediate.cert], new Date('2020-01-01T00:00:00Z')).reason).toBe(
      'NOT_YET_VALID',
    );
  });

  it('refuses an issuer that is not a CA', () => {
    const notCa = sm2Node('Not a CA', false, root);
    const below = sm2Node('Below', false, notCa);
    expect(verifyChain(below.cert, [root.cert], [notCa.cert], at)).toEqual({ valid: false, reason: 'ISSUER_NOT_CA' });
  });

  it('stops after five links', () => {
    let parent = root;
    const chain: Node[] = [];
    for (let i = 0; i < 6; i++) chain.push((parent = sm2Node(`Level ${i}`, true, parent)));
    const tooDeep = sm2Node('deep leaf', false, parent);
    const intermediates = chain.map((n) => n.cert);
    expect(verifyChain(tooDeep.cert, [root.cert], intermediates, at)).toEqual({
      valid: false,
      reason: 'CHAIN_TOO_LONG',
    });
    expect(verifyChain(chain[3].cert, [root.cert], intermediates, at)).toEqual({ valid: true });
  });

  it('never throws on broken input', () => {
    const broken = { ...leaf.cert, der: Buffer.from('garbage') };
    expect(verifyChain(broken, [root.cert], [], at)).toEqual({ valid: false, reason: 'MALFORMED' });
  });
});
