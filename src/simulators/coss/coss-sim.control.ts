import { FastifyInstance } from 'fastify';
import { CossOperation } from '../../ca/vendors/coss/coss.wire';
import { COSS_OPERATIONS, CossSimFaults, parseFault } from './coss-sim.faults';
import { CossSimJournal } from './coss-sim.journal';
import { SimNurses } from './coss-sim.nurses';
import { PhoneScanFailure, VirtualPhone } from './virtual-phone';

export interface ControlRouteDeps {
  phone: VirtualPhone;
  nurses: SimNurses;
  faults: CossSimFaults;
  journal: CossSimJournal;
  setLatency: (ms: number) => void;
}

const SCAN_FAILURE_STATUS: Record<PhoneScanFailure, number> = {
  'bad-qr': 400,
  'unknown-job': 404,
  expired: 409,
  'already-answered': 409,
  'wrong-user': 409,
};

const NURSE_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/** Simulator-only routes under /sim/: the nurse's phone, test nurses, the CA, faults, latency and the journal. */
export function registerControlRoutes(app: FastifyInstance, deps: ControlRouteDeps): void {
  app.post('/sim/phone/scan', async (request, reply) => {
    const body = fields(request.body);
    const action = body.action ?? 'approve';
    if (typeof body.qrCode !== 'string') return reply.code(400).send({ ok: false, error: 'qrCode must be a string' });
    if (typeof body.nurse !== 'string' || !NURSE_CODE.test(body.nurse)) {
      return reply.code(400).send({ ok: false, error: 'nurse must be a nurse code (letters, digits, _ . -)' });
    }
    if (action !== 'approve' && action !== 'reject')
      return reply.code(400).send({ ok: false, error: "action must be 'approve' or 'reject'" });
    if (body.name !== undefined && typeof body.name !== 'string')
      return reply.code(400).send({ ok: false, error: 'name must be a string' });
    const outcome = await deps.phone.scan(body.qrCode, body.nurse, action, body.name);
    if (!outcome.ok)
      return reply
        .code(SCAN_FAILURE_STATUS[outcome.reason])
        .send({ ok: false, error: outcome.reason, message: outcome.message });
    return outcome;
  });

  app.post('/sim/nurses', async (request, reply) => {
    const body = fields(request.body);
    if (typeof body.code !== 'string' || !NURSE_CODE.test(body.code)) {
      return reply.code(400).send({ error: 'code must be a nurse code (letters, digits, _ . -)' });
    }
    if (body.name !== undefined && typeof body.name !== 'string')
      return reply.code(400).send({ error: 'name must be a string' });
    if (body.expired !== undefined && typeof body.expired !== 'boolean')
      return reply.code(400).send({ error: 'expired must be a boolean' });
    const nurse = await deps.nurses.get(body.code, { name: body.name, expired: body.expired });
    return {
      code: nurse.code,
      name: nurse.name,
      msspId: nurse.msspId,
      expired: nurse.expired,
      certificate: nurse.certificateDer.toString('base64'),
    };
  });

  app.get('/sim/ca', async () => ({ rootCertificate: deps.nurses.rootCertificateDer.toString('base64') }));

  app.get('/sim/faults', async () => ({ faults: deps.faults.list() }));

  app.post('/sim/faults', async (request, reply) => {
    const parsed = parseFault(request.body);
    if ('error' in parsed) return reply.code(400).send({ error: parsed.error });
    deps.faults.add(parsed.fault);
    return { ok: true, faults: deps.faults.list() };
  });

  app.delete('/sim/faults', async () => {
    deps.faults.clear();
    return { ok: true };
  });

  app.put('/sim/latency', async (request, reply) => {
    const { ms } = fields(request.body);
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0)
      return reply.code(400).send({ error: 'ms must be a non-negative integer' });
    deps.setLatency(ms);
    return { ok: true, ms };
  });

  app.get<{ Querystring: { operation?: string } }>('/sim/requests', async (request, reply) => {
    const { operation } = request.query;
    if (operation === undefined) return { requests: deps.journal.all() };
    if (!COSS_OPERATIONS.includes(operation as CossOperation)) {
      return reply.code(400).send({ error: `operation must be one of ${COSS_OPERATIONS.join(', ')}` });
    }
    const op = operation as CossOperation;
    return {
      operation,
      requests: deps.journal.requests(op),
      receivedAt: deps.journal.receivedAt(op),
      total: deps.journal.total(op),
    };
  });

  app.delete('/sim/requests', async () => {
    deps.journal.clear();
    return { ok: true };
  });
}

function fields(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
