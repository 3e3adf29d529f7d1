import type { FastifyInstance } from 'fastify';
import { AnhuiSimError } from './anhui-sim.errors';
import type { AnhuiFault, AnhuiSimFaults } from './anhui-sim.faults';
import type { AnhuiSimRequestSummary } from './anhui-sim.journal';
import type { AnhuiSimKeyAlgorithm, AnhuiSimUser, AnhuiSimUsers } from './anhui-sim.users';
import type { VirtualApp, VirtualAppScanRequest } from './virtual-app';

/** What the control API drives; the simulator itself, named by its parts so that this file does not import it. */
export interface AnhuiSimControlled {
  readonly app: VirtualApp;
  readonly faults: AnhuiSimFaults;
  readonly users: AnhuiSimUsers;
  readonly caCertificates: Buffer[];
  readonly latencyMs: number;
  setLatency(ms: number): void;
  expireTokens(): void;
  requests(operation?: string): AnhuiSimRequestSummary;
  clearRequests(): void;
}

interface UserView {
  code: string;
  name: string;
  phone: string;
  keyAlgorithm: AnhuiSimKeyAlgorithm;
  serialNumber: string;
  subject: string;
  certificate: string;
}

const view = (user: AnhuiSimUser): UserView => ({
  code: user.code,
  name: user.name,
  phone: user.phone,
  keyAlgorithm: user.keyAlgorithm,
  serialNumber: user.cert.serialNumber,
  subject: user.cert.subject,
  certificate: user.certificateBase64,
});

function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') throw new AnhuiSimError(400, 'a JSON object body is required');
  return body as Record<string, unknown>;
}

/** The /sim/ control API: JSON in and out, for tests in other processes and for people poking at a sandbox. */
export function registerControlRoutes(fastify: FastifyInstance, sim: AnhuiSimControlled): void {
  fastify.post('/sim/app/scan', async (request) =>
    sim.app.scan(objectBody(request.body) as unknown as VirtualAppScanRequest),
  );

  fastify.get('/sim/faults', async () => ({ faults: sim.faults.list() }));
  fastify.post('/sim/faults', async (request, reply) => {
    sim.faults.add(objectBody(request.body) as unknown as AnhuiFault);
    return reply.code(201).send({ ok: true, faults: sim.faults.list() });
  });
  fastify.delete('/sim/faults', async () => {
    sim.faults.clear();
    return { ok: true };
  });

  fastify.put('/sim/latency', async (request) => {
    sim.setLatency(Number(objectBody(request.body).ms));
    return { ok: true, ms: sim.latencyMs };
  });

  fastify.post('/sim/tokens/expire', async () => {
    sim.expireTokens();
    return { ok: true };
  });

  fastify.get('/sim/requests', async (request) => {
    const { operation } = (request.query ?? {}) as { operation?: string };
    return sim.requests(operation || undefined);
  });
  fastify.delete('/sim/requests', async () => {
    sim.clearRequests();
    return { ok: true };
  });

  fastify.get('/sim/ca', async () => ({ certificates: sim.caCertificates.map((der) => der.toString('base64')) }));
  fastify.get('/sim/users', async () => ({ users: sim.users.list().map(view) }));
  fastify.get('/sim/users/:code', async (request) => {
    const user = sim.users.get((request.params as { code: string }).code);
    if (!user) throw new AnhuiSimError(404, 'unknown user');
    return view(user);
  });
  fastify.post('/sim/users', async (request, reply) => {
    const body = objectBody(request.body);
    const user = await sim.users.add({
      code: body.code as string,
      keyAlgorithm: body.keyAlgorithm as AnhuiSimKeyAlgorithm,
      name: typeof body.name === 'string' ? body.name : undefined,
      phone: typeof body.phone === 'string' ? body.phone : undefined,
    });
    return reply.code(201).send(view(user));
  });
}
