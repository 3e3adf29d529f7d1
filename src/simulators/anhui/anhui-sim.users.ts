import { CertificateInfo } from '../../crypto';
import { SIMULATOR_CA_ORGANIZATION } from '../../config/vendor-trust-rules';
import { IssuedIdentity, TestCertificateAuthority } from '../../crypto/test-ca';
import { sealImagePng } from '../shared/seal-image';
import { AnhuiSimError } from './anhui-sim.errors';

export type AnhuiSimKeyAlgorithm = 'SM2' | 'RSA';

export interface AnhuiSimSeal {
  signName: string;
  signWidth: string;
  signHeight: string;
  /** base64 PNG */
  img: string;
  description: string;
  signType: string;
}

export interface AnhuiSimUser {
  code: string;
  name: string;
  phone: string;
  keyAlgorithm: AnhuiSimKeyAlgorithm;
  identity: IssuedIdentity;
  cert: CertificateInfo;
  /** base64 DER, the form pubCert and the encrypt answer carry. */
  certificateBase64: string;
  seals: AnhuiSimSeal[];
}

export interface NewAnhuiSimUser {
  code: string;
  keyAlgorithm: AnhuiSimKeyAlgorithm;
  name?: string;
  phone?: string;
}

const CODE = /^[A-Za-z0-9._-]{1,64}$/;
const ORGANIZATION = 'Anhui Simulator Hospital';

/** The phone app's certificate holders: two built-in nurses and any user added on demand. */
export class AnhuiSimUsers {
  private readonly users = new Map<string, Promise<AnhuiSimUser>>();
  private readonly ready = new Map<string, AnhuiSimUser>();

  private constructor(private readonly authorities: Record<AnhuiSimKeyAlgorithm, TestCertificateAuthority>) {}

  static async create(): Promise<AnhuiSimUsers> {
    const [sm2, rsa] = await Promise.all([
      TestCertificateAuthority.create({
        commonName: 'Anhui Simulator SM2 CA',
        organization: SIMULATOR_CA_ORGANIZATION,
        keyAlgorithm: 'SM2',
      }),
      TestCertificateAuthority.create({
        commonName: 'Anhui Simulator RSA CA',
        organization: SIMULATOR_CA_ORGANIZATION,
        keyAlgorithm: 'RSA',
      }),
    ]);
    const directory = new AnhuiSimUsers({ SM2: sm2, RSA: rsa });
    await Promise.all([
      directory.add({ code: 'sm2-nurse', keyAlgorithm: 'SM2', name: '张护士', phone: '13800000001' }),
      directory.add({ code: 'rsa-nurse', keyAlgorithm: 'RSA', name: '李护士', phone: '13800000002' }),
    ]);
    return directory;
  }

  /** Root certificates (DER), SM2 CA first: what a relying party trusts. */
  get caCertificates(): Buffer[] {
    return [this.authorities.SM2.root.cert.der, this.authorities.RSA.root.cert.der];
  }

  /** The CA that issues this key type's certificates (specs issue its CRLs). */
  authority(keyAlgorithm: AnhuiSimKeyAlgorithm): TestCertificateAuthority {
    return this.authorities[keyAlgorithm];
  }

  get(code: string): AnhuiSimUser | undefined {
    return this.ready.get(code);
  }

  list(): AnhuiSimUser[] {
    return [...this.ready.values()];
  }

  bySerial(serial: string): AnhuiSimUser | undefined {
    const wanted = normalizeSerial(serial);
    return this.list().find((user) => normalizeSerial(user.cert.serialNumber) === wanted);
  }

  /** Adds a user with a fresh key and certificate; the same code with the same key type answers the existing one. */
  async add(input: NewAnhuiSimUser): Promise<AnhuiSimUser> {
    if (typeof input.code !== 'string' || !CODE.test(input.code)) {
      throw new AnhuiSimError(400, 'code must be 1-64 letters, digits, dot, dash or underscore');
    }
    if (input.keyAlgorithm !== 'SM2' && input.keyAlgorithm !== 'RSA')
      throw new AnhuiSimError(400, "keyAlgorithm must be 'SM2' or 'RSA'");
    const existing = this.users.get(input.code);
    if (existing) {
      const user = await existing;
      if (user.keyAlgorithm !== input.keyAlgorithm)
        throw new AnhuiSimError(409, `user ${input.code} already exists with ${user.keyAlgorithm}`);
      return user;
    }
    const created = this.issue(input);
    this.users.set(input.code, created);
    try {
      const user = await created;
      this.ready.set(user.code, user);
      return user;
    } catch (error) {
      this.users.delete(input.code);
      throw error;
    }
  }

  private async issue(input: NewAnhuiSimUser): Promise<AnhuiSimUser> {
    const name = input.name ?? `模拟用户${input.code}`;
    const identity = await this.authorities[input.keyAlgorithm].issue({
      commonName: name,
      organization: ORGANIZATION,
      keyAlgorithm: input.keyAlgorithm,
      extraSubject: { C: 'CN', UID: input.code },
    });
    return {
      code: input.code,
      name,
      phone: input.phone ?? '138' + String(hashNumber(input.code)).padStart(8, '0').slice(-8),
      keyAlgorithm: input.keyAlgorithm,
      identity,
      cert: identity.cert,
      certificateBase64: identity.cert.der.toString('base64'),
      seals: sealsFor(input.code, name),
    };
  }
}

function sealsFor(code: string, name: string): AnhuiSimSeal[] {
  return [
    {
      signName: name,
      signWidth: '4.0',
      signHeight: '4.0',
      img: sealImagePng(`${code}:personal`),
      description: '个人签名章',
      signType: '1',
    },
    {
      signName: '护理专用章',
      signWidth: '4.0',
      signHeight: '4.0',
      img: sealImagePng(`${code}:nursing`),
      description: `${ORGANIZATION} 护理部业务专用章`,
      signType: '2',
    },
  ];
}

function normalizeSerial(serial: string): string {
  return serial
    .replace(/[\s:]/g, '')
    .toUpperCase()
    .replace(/^0+(?=.)/, '');
}

function hashNumber(text: string): number {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) % 100_000_000;
  return hash;
}
