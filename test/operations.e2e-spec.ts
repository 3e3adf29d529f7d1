import { setTimeout as sleep } from 'node:timers/promises';
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { encryptForCertificate, rsaDecrypt, sm2Decrypt, verifySignedData } from '../src/crypto';
import { AuditLogStore } from '../src/evidence/audit/audit-log.store';
import { OperationRefresher } from '../src/operations/operation-refresher';
import type { AnhuiSimulator } from '../src/simulators/anhui/anhui-simulator';
import type { AnhuiSimUser } from '../src/simulators/anhui/anhui-sim.users';
import { ANHUI_POLL_MS, AnhuiGateway, startAnhuiGateway } from './support/anhui-gateway';
import { collectSse } from './support/sse';
import { itWhen } from './support/engine';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';
import { byHandle } from './support/handles';

const POLL_MS = ANHUI_POLL_MS;
const USERS = [['sm2-nurse'], ['rsa-nurse']] as const;

describe('CA operations (Anhui scan service) through the gateway', () => {
  let gateway: AnhuiGateway;
  let sim: AnhuiSimulator;
  let t: TestApp;

  beforeAll(async () => {
    gateway = await startAnhuiGateway();
    ({ sim, t } = gateway);
  });
  afterAll(() => gateway?.close());

  const user = (code: string): AnhuiSimUser => sim.users.get(code)!;
  const post = (path: string, body: object) => request(t.http).post(`/ca/operations/${path}`).send(body);
  const get = (operationId: string) => request(t.http).get(`/ca/operations/${operationId}`);
  const stored = (operationId: string) => t.connection.collection('caOperations').findOne(byHandle(operationId));
  const settle = (operationId: string) =>
    waitFor(
      () => get(operationId),
      (res) => res.status !== 200 || res.body.data.status !== 'PENDING',
      10_000,
      25,
    );
  const guidOf = (started: { qrCode: string }) => (JSON.parse(started.qrCode) as { guid: string }).guid;
  const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

  async function start(path: string, body: object) {
    const res = await post(path, body);
    expect(res.status).toBe(200);
    return res.body.data as { operationId: string; qrCode: string };
  }

  /** Starts an operation, lets `scanner` confirm it on the phone and answers the final state. */
  async function run(
    path: string,
    body: object,
    scanner: string,
    extra: { tamper?: 'signature'; action?: 'cancel' } = {},
  ) {
    const started = await start(path, body);
    await sim.app.scan({ qr: started.qrCode, user: scanner, ...extra });
    return { started, done: await settle(started.operationId) };
  }

  async function seal(scanner: string, documentHash = hashOf(randomBytes(8).toString('hex'))) {
    const { started, done } = await run('seal', { documentHash, sealName: '护理专用章' }, scanner);
    expect(done.body.data.status).toBe('FINISH');
    return { operationId: started.operationId, guid: guidOf(started), documentHash, view: done.body.data };
  }

  it.each(USERS)('encrypts locally for the certificate that %s presents', async (code) => {
    const plaintext = `体温 36.8 ℃ for ${code}`;
    const res = await post('encrypt', { plaintext });
    expect(res.status).toBe(200);
    const started = res.body.data;
    expect(res.body).toMatchObject({ code: 200, message: 'OK' });
    expect(started).toMatchObject({
      type: 'encrypt',
      status: 'PENDING',
      qrImage: expect.stringMatching(/^data:image\/png;base64,/),
    });
    expect(JSON.parse(started.qrCode)).toMatchObject({ guid: expect.any(String), url: sim.url });
    expect(started.qrCode).not.toContain(started.operationId);
    expect(new Date(started.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect((await stored(started.operationId))!.plaintext).toBe(plaintext);

    await sim.app.scan({ qr: started.qrCode, user: code });
    const done = (await settle(started.operationId)).body.data;
    const nurse = user(code);
    expect(done).toMatchObject({
      operationId: started.operationId,
      type: 'encrypt',
      status: 'FINISH',
      result: {
        algorithm: nurse.keyAlgorithm,
        certificate: { serialNumber: nurse.cert.serialNumber, subject: nurse.cert.subject },
      },
    });
    const ciphertext = Buffer.from(done.result.ciphertext, 'base64');
    const { privateKey, privateKeyHex } = nurse.identity;
    const decrypted =
      typeof privateKey === 'string'
        ? sm2Decrypt(ciphertext, privateKeyHex ?? privateKey)
        : rsaDecrypt(ciphertext, privateKey);
    expect(decrypted.toString('utf8')).toBe(plaintext);
    expect(await stored(started.operationId)).not.toHaveProperty('plaintext');
  });

  it('ends FAILED ENCRYPT_FAILED when the text is longer than RSA-OAEP allows for the certificate', async () => {
    const { done } = await run('encrypt', { plaintext: 'x'.repeat(1024) }, 'rsa-nurse');
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({ status: 'FAILED', failure: { type: 'ENCRYPT_FAILED' } });
  });

  it.each(USERS)('decrypts on the phone of %s and returns the plaintext once', async (code) => {
    const plaintext = `医嘱: ${code} ${randomBytes(4).toString('hex')}`;
    const ciphertext = encryptForCertificate(Buffer.from(plaintext, 'utf8'), user(code).cert).ciphertext.toString(
      'base64',
    );
    const { started, done } = await run('decrypt', { ciphertext }, code);
    // Only the starter holds the handle, so its first read after the nurse confirms gets the plaintext, once.
    expect(done.body.data).toMatchObject({ type: 'decrypt', status: 'FINISH', result: { plaintext } });
    // Whoever read the guid off the QR code gets the 404 of an unknown id.
    const byGuid = await get(JSON.parse(started.qrCode).guid);
    expect(byGuid.status).toBe(404);
    expect(JSON.stringify(byGuid.body)).not.toContain(plaintext);
    const again = await request(t.http).post('/ca/operations/result').send({ operationId: started.operationId });
    expect(again.body.data).toMatchObject({ status: 'FINISH', result: { plaintext: null, removed: 'DELIVERED' } });
    expect(JSON.stringify(await stored(started.operationId))).not.toContain(plaintext);

    // A plaintext nobody reads in time is removed.
    const unread = await start('decrypt', { ciphertext });
    await sim.app.scan({ qr: unread.qrCode, user: code });
    // Let the app's answer land in the database without reading it through the gateway's delivering read.
    await waitFor(
      async () => {
        await sleep(POLL_MS);
        return t.app.get(OperationRefresher).refresh(unread.operationId);
      },
      (operation) => operation?.status === 'FINISH',
    );
    await t.connection
      .collection('caOperations')
      .updateOne(byHandle(unread.operationId), { $set: { resultExpiresAt: new Date(Date.now() - 1) } });
    expect((await get(unread.operationId)).body.data.result).toEqual({ plaintext: null, removed: 'EXPIRED' });
  });

  it.each([
    ['sm2-nurse', 'rsa-nurse'],
    ['rsa-nurse', 'sm2-nurse'],
  ])(
    'seals as %s in two rounds, keeps the seal against an unseal by %s, and lets only the sealer revoke it',
    async (code, other) => {
      const imagesBefore = sim.requests('/getSealImg').count;
      const savesBefore = sim.requests('/saveCaMessageResult').count;
      const sealed = await seal(code);
      const nurse = user(code);
      // Round one: the gateway fetched the seal images once and stored the hash with status 4 (the app signs nothing else).
      expect(sim.requests('/getSealImg').count).toBe(imagesBefore + 1);
      expect(sim.requests('/saveCaMessageResult').count).toBe(savesBefore + 1);
      const result = sealed.view.result;
      expect(result).toMatchObject({
        signatureCompanyCode: 'SIM-SEAL-CO',
        certificate: {
          serialNumber: nurse.cert.serialNumber,
          subject: nurse.cert.subject,
          der: nurse.certificateBase64,
        },
        seal: { name: '护理专用章' },
      });
      expect(Buffer.from(result.seal.image, 'base64').subarray(1, 4).toString()).toBe('PNG');
      const verified = await verifySignedData(result.signature, {
        expectedContent: Buffer.from(sealed.documentHash, 'utf8'),
        userId: '1234567812345678',
      });
      expect(verified).toMatchObject({ valid: true, signer: { fingerprintSm3: nurse.cert.fingerprintSm3 } });
      expect(await stored(sealed.operationId)).toMatchObject({
        round: 2,
        sealerSm3: nurse.cert.fingerprintSm3,
        documentHash: sealed.documentHash,
      });

      const refused = await run('unseal', { sealOperationId: sealed.operationId }, other);
      expect(refused.done.status).toBe(200);
      expect(refused.done.body.data).toMatchObject({
        type: 'unseal',
        status: 'FAILED',
        failure: { type: 'NOT_THE_SEALER' },
        sealOperationId: sealed.guid,
      });
      const kept = (await get(sealed.operationId)).body.data;
      expect(kept.status).toBe('FINISH');
      expect(kept).not.toHaveProperty('revokedAt');

      const unsealed = await run('unseal', { sealOperationId: sealed.operationId }, code);
      expect(unsealed.done.body.data).toMatchObject({
        status: 'FINISH',
        result: { sealOperationId: sealed.guid, certificate: { serialNumber: nurse.cert.serialNumber } },
      });
      expect((await get(sealed.operationId)).body.data).toMatchObject({
        status: 'FINISH',
        revokedBy: guidOf(unsealed.started),
        revokedAt: expect.any(String),
      });
      const twice = await post('unseal', { sealOperationId: sealed.operationId });
      expect(twice.status).toBe(409);
      expect(twice.body).toMatchObject({ code: 409, error: { type: 'CONFLICT', field: 'sealOperationId' } });
    },
  );

  it('answers 404 for an unseal of an unknown seal and 409 for one that has not finished', async () => {
    const unknown = await post('unseal', { sealOperationId: 'no-such-seal' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ type: 'NOT_FOUND', field: 'sealOperationId' });
    const pending = await start('seal', { documentHash: hashOf('pending') });
    const early = await post('unseal', { sealOperationId: pending.operationId }).set('accept-language', 'en');
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('PENDING');
  });

  it('ends a seal FAILED SIGNATURE_REJECTED when the phone returns a tampered signature, and answers it with 200', async () => {
    const { started, done } = await run('seal', { documentHash: hashOf('tampered') }, 'sm2-nurse', {
      tamper: 'signature',
    });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({
      status: 'FAILED',
      failure: { type: 'SIGNATURE_REJECTED', reason: expect.stringContaining('BAD_SIGNATURE') },
    });
    expect(done.body.data).not.toHaveProperty('result');
    expect(await stored(started.operationId)).not.toHaveProperty('sealerSm3');
  });

  it("reads a certificate's seal data at once; a serial the seal service does not know is 404 CERTIFICATE_NOT_FOUND, a refusal 502", async () => {
    const nurse = user('sm2-nurse');
    const res = await post('seal-data', { caSerialId: nurse.cert.serialNumber });
    expect(res.status).toBe(200);
    expect(res.body.data.userInfo).toMatchObject({
      userId: 'sm2-nurse',
      userName: nurse.name,
      applyDate: expect.any(String),
      overDate: expect.any(String),
    });
    expect(res.body.data.seals).toHaveLength(2);
    expect(res.body.data.seals[0]).toMatchObject({
      name: nurse.name,
      ext: 'png',
      width: '4.0',
      height: '4.0',
      type: '1',
    });
    expect(Buffer.from(res.body.data.seals[0].image, 'base64').subarray(1, 4).toString()).toBe('PNG');
    // Reading a nurse's seal is itself an audit event: who read which serial, never the images or her name.
    const read = await t.app.get(AuditLogStore).lastOfType('SealDataRead');
    expect(read).toMatchObject({ outcome: 'READ', subject: { certSerial: nurse.cert.serialNumber } });
    expect(JSON.stringify(read)).not.toContain(res.body.data.seals[0].image.slice(0, 32));
    expect(JSON.stringify(read)).not.toContain(nurse.name);
    const unknown = await post('seal-data', { caSerialId: 'DEADBEEF' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      type: 'CERTIFICATE_NOT_FOUND',
      operation: '/api/getSeal',
      vendorCode: '1001',
    });
    sim.faults.add({ operation: '/api/getSeal', kind: 'error', times: 1 });
    const refused = await post('seal-data', { caSerialId: nurse.cert.serialNumber });
    expect(refused.status).toBe(502);
    expect(refused.body.error).toMatchObject({ type: 'VENDOR_REFUSED', vendorCode: '9999' });
  });

  it('answers REJECTED when the nurse cancels on her phone (status 3), and forgets the plaintext', async () => {
    const { started, done } = await run('encrypt', { plaintext: 'cancelled' }, 'sm2-nurse', { action: 'cancel' });
    expect(done.body.data).toMatchObject({ status: 'REJECTED', failure: { type: 'REJECTED' } });
    expect(await stored(started.operationId)).not.toHaveProperty('plaintext');
  });

  it('answers EXPIRED once the QR code has expired', async () => {
    const started = await start('decrypt', { ciphertext: Buffer.from('x').toString('base64') });
    await t.connection
      .collection('caOperations')
      .updateOne(byHandle(started.operationId), { $set: { expiresAt: new Date(Date.now() - 1) } });
    expect((await get(started.operationId)).body.data).toMatchObject({
      status: 'EXPIRED',
      failure: { type: 'EXPIRED' },
    });
  });

  itWhen('atomicUpdates')(
    'asks the scan service at most once per poll interval, however many reads arrive',
    async () => {
      const started = await start('encrypt', { plaintext: 'lease' });
      await get(started.operationId);
      const before = sim.requests('/getCaMessageResult').count;
      const began = Date.now();
      const reads = await Promise.all(Array.from({ length: 20 }, () => get(started.operationId)));
      const elapsed = Date.now() - began;
      expect(reads.every((r) => r.status === 200 && r.body.data.status === 'PENDING')).toBe(true);
      const polls = sim.requests('/getCaMessageResult').count - before;
      expect(polls).toBeLessThanOrEqual(Math.floor(elapsed / POLL_MS) + 1);
      expect(polls).toBeLessThan(reads.length);
    },
  );

  it('streams status events for one operation until FINISH', async () => {
    const started = await start('encrypt', { plaintext: 'streamed' });
    const events = collectSse(`${await t.app.getUrl()}/ca/operations/${started.operationId}/events`);
    await sleep(2 * POLL_MS);
    await sim.app.scan({ qr: started.qrCode, user: 'sm2-nurse' });
    const stream = await events;
    expect(stream.status).toBe(200);
    const statuses = stream.events
      .filter((e) => e.event === 'status')
      .map((e) => (e.data as { status: string }).status);
    expect(statuses[0]).toBe('PENDING');
    expect(statuses.at(-1)).toBe('FINISH');
  });

  it('answers 404 for an unknown operation id, also before streaming', async () => {
    const res = await get('no-such-operation');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 404, data: null, error: { type: 'NOT_FOUND', field: 'operationId' } });
    expect(
      (await request(t.http).post('/ca/operations/result').send({ operationId: 'no-such-operation' })).status,
    ).toBe(404);
    expect((await request(t.http).get('/ca/operations/no-such-operation/events')).status).toBe(404);
  });

  it.each([
    ['encrypt', 'no plaintext', {}, 'plaintext'],
    ['encrypt', 'an empty plaintext', { plaintext: '' }, 'plaintext'],
    ['encrypt', 'a plaintext over 64 KB', { plaintext: 'x'.repeat(64 * 1024 + 1) }, 'plaintext'],
    ['encrypt', 'an unknown field', { plaintext: 'x', extra: 1 }, 'extra'],
    ['decrypt', 'a ciphertext that is not base64', { ciphertext: 'not base64!' }, 'ciphertext'],
    ['seal', 'a documentHash that is no hash', { documentHash: 'abc' }, 'documentHash'],
    ['seal', 'a numeric sealName', { documentHash: 'ab'.repeat(32), sealName: 7 }, 'sealName'],
    ['unseal', 'no sealOperationId', {}, 'sealOperationId'],
    ['seal-data', 'a caSerialId with a space', { caSerialId: 'a b' }, 'caSerialId'],
    ['result', 'no operationId', {}, 'operationId'],
  ])('answers 400 naming the field for POST %s with %s', async (path, _case, body, field) => {
    const res = await post(path, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, error: { type: 'VALIDATION_FAILED' } });
    expect(res.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
  });

  it.each([
    ['encrypt', { plaintext: 'x' }, 'encrypt'],
    ['decrypt', { ciphertext: 'AAAA' }, 'decrypt'],
    ['seal', { documentHash: 'ab'.repeat(32) }, 'seal'],
    ['seal-data', { caSerialId: '1A2B3C' }, 'sealData'],
  ])(
    'answers 422 CAPABILITY_UNSUPPORTED when COSS is asked to %s, and stores nothing',
    async (path, body, capability) => {
      const before = await t.connection.collection('caOperations').countDocuments();
      const res = await post(path, { ...body, provider: 'coss' });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 422,
        error: { type: 'CAPABILITY_UNSUPPORTED', vendor: 'coss', capability },
      });
      expect(await t.connection.collection('caOperations').countDocuments()).toBe(before);
    },
  );

  it('answers 400 naming provider for a vendor that is not enabled', async () => {
    const res = await post('encrypt', { plaintext: 'x', provider: 'nope' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].field).toBe('provider');
  });

  it('answers 400 naming provider when the Anhui scan service is not enabled', async () => {
    const coss = await startTestApp({ CA_PROVIDERS: 'coss' });
    try {
      const res = await request(coss.http).post('/ca/operations/encrypt').send({ plaintext: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.error.fields[0].field).toBe('provider');
    } finally {
      await coss.close();
    }
  });
});
