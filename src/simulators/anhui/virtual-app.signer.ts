import * as asn1js from 'asn1js';
import { randomUUID } from 'node:crypto';
import * as pkijs from 'pkijs';
import { createSignedData } from '../../crypto';
import { AnhuiSimError } from './anhui-sim.errors';
import type { AnhuiSimUser, AnhuiSimUsers } from './anhui-sim.users';

export const VIRTUAL_APP_TAMPERS = ['content', 'signature', 'other-challenge', 'wrong-cert'] as const;
export type VirtualAppTamper = (typeof VIRTUAL_APP_TAMPERS)[number];
export type VirtualAppOidFamily = 'pkcs7' | 'gmt0010';

export interface AppSignOptions {
  tamper?: VirtualAppTamper;
  oidFamily?: VirtualAppOidFamily;
}

/** A p7 attached signature as the app stores it: both base64. */
export interface AppSignature {
  signStr: string;
  pubCert: string;
}

/** The app's key operations, including the deliberate mistakes that negative tests ask for. */
export class AppSigner {
  constructor(private readonly users: AnhuiSimUsers) {}

  async sign(user: AnhuiSimUser, content: string, options: AppSignOptions): Promise<AppSignature> {
    const wrongCert = options.tamper === 'wrong-cert';
    const p7 = await createSignedData({
      content: Buffer.from(signedText(content, options.tamper), 'utf8'),
      signerCert: user.cert,
      privateKey: user.identity.privateKey,
      oidFamily: options.oidFamily,
      // wrong-cert: the p7 carries no certificate and pubCert names another user, so the only certificate a
      // verifier can use does not fit the signature.
      includeCertificate: !wrongCert,
    });
    const signed = options.tamper === 'signature' ? flipSignatureByte(p7) : p7;
    const pubCert = wrongCert ? (await this.impostorOf(user)).certificateBase64 : user.certificateBase64;
    return { signStr: signed.toString('base64'), pubCert };
  }

  /** The certificate the app reports for an encrypt job. */
  async certificate(user: AnhuiSimUser, tamper?: VirtualAppTamper): Promise<string> {
    return tamper === 'wrong-cert' ? (await this.impostorOf(user)).certificateBase64 : user.certificateBase64;
  }

  private impostorOf(user: AnhuiSimUser): Promise<AnhuiSimUser> {
    const base = `impostor-${user.keyAlgorithm.toLowerCase()}`;
    return this.users.add({
      code: user.code === base ? `${base}-2` : base,
      keyAlgorithm: user.keyAlgorithm,
      name: '冒名用户',
    });
  }
}

function signedText(content: string, tamper?: VirtualAppTamper): string {
  if (tamper === 'content') return `${content}#tampered`;
  if (tamper === 'other-challenge') return randomUUID();
  return content;
}

/** Flips the last byte of the first SignerInfo's signature value in place of a copy of the DER. */
function flipSignatureByte(p7: Buffer): Buffer {
  const contentInfo = new pkijs.ContentInfo({ schema: asn1js.fromBER(p7).result });
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const signature = Buffer.from(signedData.signerInfos[0].signature.valueBlock.valueHexView);
  const at = p7.indexOf(signature);
  if (signature.length === 0 || at < 0) throw new AnhuiSimError(500, 'signature value not found in the p7');
  const copy = Buffer.from(p7);
  // The last byte is always inside the value (of s for SM2), so the DER stays well-formed.
  copy[at + signature.length - 1] ^= 0x01;
  return copy;
}
