import { randomUUID } from 'node:crypto';
import { ANHUI_STATUS, ANHUI_TYPE } from '../../ca/vendors/anhui/anhui.wire';
import { CertificateInfo, encryptForCertificate, parseCertificate, verifySignedData } from '../../crypto';
import { AnhuiSimulator } from './anhui-simulator';
import { grantToken, initJob, postForm, postJson, result } from './anhui-sim.testing';
import { VirtualApp, VirtualAppTamper } from './virtual-app';

describe(VirtualApp.name, () => {
  let sim: AnhuiSimulator;
  let token: string;
  let roots: CertificateInfo[];

  beforeAll(async () => {
    sim = await AnhuiSimulator.start();
    token = await grantToken(sim);
    roots = sim.caCertificates.map((der) => parseCertificate(der));
  });
  afterAll(() => sim.stop());

  const verify = (signStr: string, content: string, pubCert?: string) =>
    verifySignedData(signStr, {
      expectedContent: Buffer.from(content, 'utf8'),
      trustedRoots: roots,
      ...(pubCert ? { externalSignerCert: parseCertificate(pubCert) } : {}),
    });

  describe('login', () => {
    it.each(['sm2-nurse', 'rsa-nurse'])('signs the challenge as an attached p7 with %s', async (user) => {
      const challenge = randomUUID();
      const { guid, qr } = await initJob(sim, token, ANHUI_TYPE.LOGIN, challenge);
      const scanned = await postJson(sim, '/sim/app/scan', { qr, user });
      expect(scanned).toEqual({ status: 200, body: { ok: true, guid, type: ANHUI_TYPE.LOGIN } });

      const answer = await result(sim, token, guid);
      expect(answer).toMatchObject({ status: ANHUI_STATUS.CONFIRMED, invokeCode: 1 });
      const { signStr, pubCert } = JSON.parse(answer.value);
      const verification = await verify(signStr, challenge);
      expect(verification).toMatchObject({ valid: true, oidFamily: 'pkcs7' });
      expect(verification.signer?.serialNumber).toBe(parseCertificate(pubCert).serialNumber);
      expect(verification.signer?.serialNumber).toBe(sim.users.get(user)?.cert.serialNumber);
    });

    it('uses the GM/T 0010 OIDs when asked', async () => {
      const challenge = randomUUID();
      const { qr, guid } = await initJob(sim, token, ANHUI_TYPE.LOGIN, challenge);
      await sim.app.scan({ qr, user: 'sm2-nurse', oidFamily: 'gmt0010' });
      const { signStr } = JSON.parse((await result(sim, token, guid)).value);
      expect(await verify(signStr, challenge)).toMatchObject({ valid: true, oidFamily: 'gmt0010', algorithm: 'SM2' });
    });

    it.each<[VirtualAppTamper, string, string, string]>([
      ['content', 'sm2-nurse', 'CONTENT_MISMATCH', 'CONTENT_MISMATCH'],
      ['signature', 'sm2-nurse', 'BAD_SIGNATURE', 'BAD_SIGNATURE'],
      ['signature', 'rsa-nurse', 'BAD_SIGNATURE', 'BAD_SIGNATURE'],
      ['other-challenge', 'rsa-nurse', 'CONTENT_MISMATCH', 'CONTENT_MISMATCH'],
      ['wrong-cert', 'sm2-nurse', 'NO_SIGNER_CERT', 'BAD_SIGNATURE'],
      ['wrong-cert', 'rsa-nurse', 'NO_SIGNER_CERT', 'BAD_SIGNATURE'],
    ])('tamper %s (%s) fails verification', async (tamper, user, reason, reasonWithPubCert) => {
      const challenge = randomUUID();
      const { qr, guid } = await initJob(sim, token, ANHUI_TYPE.LOGIN, challenge);
      await sim.app.scan({ qr, user, tamper });
      const { signStr, pubCert } = JSON.parse((await result(sim, token, guid)).value);
      expect(await verify(signStr, challenge)).toMatchObject({ valid: false, reason });
      expect(await verify(signStr, challenge, pubCert)).toMatchObject({ valid: false, reason: reasonWithPubCert });
    });

    it('cancels with status 3, stops at status 1 for scan-only, and refuses a finished job', async () => {
      const cancelled = await initJob(sim, token, ANHUI_TYPE.LOGIN, randomUUID());
      await sim.app.scan({ qr: cancelled.qr, user: 'sm2-nurse', action: 'cancel' });
      expect(await result(sim, token, cancelled.guid)).toMatchObject({ status: ANHUI_STATUS.CANCELLED, value: null });

      const later = await initJob(sim, token, ANHUI_TYPE.LOGIN, randomUUID());
      await sim.app.scan({ qr: later.qr, user: 'sm2-nurse', action: 'scan-only' });
      expect(await result(sim, token, later.guid)).toMatchObject({ status: ANHUI_STATUS.SCANNED });
      await sim.app.scan({ qr: later.qr, user: 'sm2-nurse' });
      expect(await result(sim, token, later.guid)).toMatchObject({ status: ANHUI_STATUS.CONFIRMED });
      expect((await postJson(sim, '/sim/app/scan', { qr: later.qr, user: 'sm2-nurse' })).status).toBe(409);
    });

    it('refuses to scan an expired QR', async () => {
      const short = await AnhuiSimulator.start({ users: sim.users, jobTtlMs: 50 });
      try {
        const { qr } = await initJob(short, await grantToken(short), ANHUI_TYPE.LOGIN, randomUUID());
        await new Promise((resolve) => setTimeout(resolve, 80));
        await expect(short.app.scan({ qr, user: 'sm2-nurse' })).rejects.toMatchObject({ statusCode: 410 });
      } finally {
        await short.stop();
      }
    });
  });

  describe('sign and unseal', () => {
    it.each([
      [ANHUI_TYPE.SIGN, '体温 36.8℃，脉搏 78 次/分'],
      [ANHUI_TYPE.UNSEAL, 'b3f1c0de9a7e4f1aa2d8c55e0d1e6f3b'],
    ])('type %s stores a base64 p7 over the message', async (type, message) => {
      const { qr, guid } = await initJob(sim, token, type, message);
      await sim.app.scan({ qr, user: 'rsa-nurse' });
      const answer = await result(sim, token, guid);
      expect(answer.status).toBe(ANHUI_STATUS.CONFIRMED);
      expect(await verify(answer.value, message)).toMatchObject({ valid: true, algorithm: 'RSA' });
    });
  });

  describe('encrypt and decrypt', () => {
    it.each(['sm2-nurse', 'rsa-nurse'])('round-trips a secret through the certificate of %s', async (user) => {
      const encrypt = await initJob(sim, token, ANHUI_TYPE.ENCRYPT, '病历摘要');
      await sim.app.scan({ qr: encrypt.qr, user });
      const certificate = parseCertificate((await result(sim, token, encrypt.guid)).value);
      expect(certificate.serialNumber).toBe(sim.users.get(user)?.cert.serialNumber);

      const { ciphertext } = encryptForCertificate(Buffer.from('病历摘要 secret', 'utf8'), certificate);
      const decrypt = await initJob(sim, token, ANHUI_TYPE.DECRYPT, ciphertext.toString('base64'));
      await sim.app.scan({ qr: decrypt.qr, user });
      expect(await result(sim, token, decrypt.guid)).toMatchObject({
        status: ANHUI_STATUS.CONFIRMED,
        value: '病历摘要 secret',
      });
    });

    it('answers status 3 when the ciphertext is not for this user', async () => {
      const other = sim.users.get('sm2-nurse')!.cert;
      const { ciphertext } = encryptForCertificate(Buffer.from('x'), other);
      const decrypt = await initJob(sim, token, ANHUI_TYPE.DECRYPT, ciphertext.toString('base64'));
      await sim.app.scan({ qr: decrypt.qr, user: 'rsa-nurse' });
      expect(await result(sim, token, decrypt.guid)).toMatchObject({
        status: ANHUI_STATUS.CANCELLED,
        value: null,
        extMessage: expect.stringContaining('解密失败'),
      });
    });
  });

  describe('seal', () => {
    it.each(['sm2-nurse', 'rsa-nurse'])('runs both rounds for %s', async (user) => {
      const nurse = sim.users.get(user)!;
      const { qr, guid } = await initJob(sim, token, ANHUI_TYPE.SEAL, 'file-hash-placeholder');
      await sim.app.scan({ qr, user });

      const round1 = await result(sim, token, guid);
      expect(round1).toMatchObject({ status: ANHUI_STATUS.CONFIRMED, invokeCode: 1 });
      expect(JSON.parse(round1.value)).toEqual({ signatureCompanyCode: 'SIM-SEAL-CO' });
      expect(JSON.parse(round1.extMessage)).toEqual({ caSerialId: nurse.cert.serialNumber });

      const images = await postForm(sim, '/getSealImg', { guid, token });
      expect(images.invokeCode).toBe(1);
      expect(images.signInfos.map((s: { signName: string }) => s.signName)).toEqual([nurse.name, '护理专用章']);
      for (const seal of images.signInfos) {
        expect(seal).toMatchObject({ signWidth: '4.0', signHeight: '4.0' });
        expect(Buffer.from(seal.img, 'base64').subarray(0, 8)).toEqual(
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        );
      }

      const pdfHash = 'c6b1d4f9e0a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c';
      expect(await postForm(sim, '/saveCaMessageResult', { guid, token, status: '4', value: pdfHash })).toEqual({
        invokeCode: 1,
      });
      await sim.app.settled(guid);

      const round2 = await result(sim, token, guid);
      expect(round2.status).toBe(ANHUI_STATUS.CONFIRMED);
      const { signStr, signatureCompanyCode, pubCert } = JSON.parse(round2.value);
      expect(signatureCompanyCode).toBe('SIM-SEAL-CO');
      expect(pubCert).toBe(nurse.certificateBase64);
      expect(await verify(signStr, pdfHash)).toMatchObject({ valid: true, algorithm: nurse.keyAlgorithm });
    });

    it('answers no seal images before the app has scanned', async () => {
      const { guid } = await initJob(sim, token, ANHUI_TYPE.SEAL, 'hash');
      expect(await postForm(sim, '/getSealImg', { guid, token })).toMatchObject({ invokeCode: 0 });
    });
  });
});
