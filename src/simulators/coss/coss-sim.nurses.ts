import { createHash, randomBytes } from 'node:crypto';
import { SIMULATOR_CA_ORGANIZATION } from '../../config/vendor-trust-rules';
import { IssuedIdentity, TestCertificateAuthority } from '../../crypto/test-ca';
import { sealImagePng } from '../shared/seal-image';

const DAY_MS = 86_400_000;

export interface SimNurse {
  code: string;
  name: string;
  /** 64 lowercase hex characters; COSS uses it as the user's `userId`. */
  msspId: string;
  identity: IssuedIdentity;
  privateKeyHex: string;
  publicKeyHex: string;
  certificateDer: Buffer;
  /** Base64 PNG. */
  sealImage: string;
  expired: boolean;
}

export interface NurseSpec {
  name?: string;
  /** Issue a certificate that has already expired, to test the gateway's validity checks. */
  expired?: boolean;
  /** Issue a short-lived certificate, valid from a minute ago for this long, to test long-term validation. */
  validForMs?: number;
}

/** Nurses made on demand by code; a code keeps its first identity (name and expiry are fixed at creation). */
export class SimNurses {
  private readonly byCode = new Map<string, Promise<SimNurse>>();
  private readonly byMssp = new Map<string, SimNurse>();
  // A fresh salt per simulator so that msspIds from one run never match another's.
  private readonly salt = randomBytes(16).toString('hex');

  private constructor(
    readonly ca: TestCertificateAuthority,
    private readonly hospitalName: string,
    private readonly clock: () => number,
  ) {}

  static async create(hospitalName: string, clock: () => number): Promise<SimNurses> {
    const ca = await TestCertificateAuthority.create({
      commonName: 'COSS Simulator SM2 CA',
      organization: SIMULATOR_CA_ORGANIZATION,
      keyAlgorithm: 'SM2',
    });
    return new SimNurses(ca, hospitalName, clock);
  }

  get rootCertificateDer(): Buffer {
    return this.ca.root.cert.der;
  }

  /** The nurse with this code, created if new. */
  get(code: string, spec: NurseSpec = {}): Promise<SimNurse> {
    let nurse = this.byCode.get(code);
    if (!nurse) {
      nurse = this.issue(code, spec);
      this.byCode.set(code, nurse);
      nurse.catch(() => this.byCode.delete(code));
    }
    return nurse;
  }

  byMsspId(msspId: string): SimNurse | undefined {
    return this.byMssp.get(msspId);
  }

  private async issue(code: string, spec: NurseSpec): Promise<SimNurse> {
    const name = spec.name?.trim() || code;
    const now = this.clock();
    const validity = spec.expired
      ? { notBefore: new Date(now - 365 * DAY_MS), notAfter: new Date(now - DAY_MS) }
      : spec.validForMs !== undefined
        ? { notBefore: new Date(now - 60_000), notAfter: new Date(now + spec.validForMs) }
        : {};
    const identity = await this.ca.issue({
      commonName: name,
      organization: this.hospitalName,
      keyAlgorithm: 'SM2',
      ...validity,
    });
    if (!identity.privateKeyHex || !identity.publicKeyHex)
      throw new Error('test CA issued an SM2 identity without hex keys');
    const nurse: SimNurse = {
      code,
      name,
      msspId: createHash('sha256').update(this.salt).update(code).digest('hex'),
      identity,
      privateKeyHex: identity.privateKeyHex,
      publicKeyHex: identity.publicKeyHex,
      certificateDer: identity.cert.der,
      sealImage: sealImagePng(code),
      expired: spec.expired === true,
    };
    this.byMssp.set(nurse.msspId, nurse);
    return nurse;
  }
}
