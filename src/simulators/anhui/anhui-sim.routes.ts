import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AnhuiInvokeResult, GetSealResponse } from '../../ca/vendors/anhui/anhui.wire';
import type { AnhuiFault, AnhuiSimFaults } from './anhui-sim.faults';
import { requestFields } from './anhui-sim.fields';
import type { AnhuiSimJournal } from './anhui-sim.journal';
import type { AnhuiSimSettings } from './anhui-sim.options';
import type { AnhuiScanService, AnhuiSimFields } from './anhui-sim.service';
import type { AnhuiSimTimers } from './anhui-sim.timers';
import type { AnhuiSimTokens } from './anhui-sim.tokens';

export interface AnhuiWireDeps {
  service: AnhuiScanService;
  faults: AnhuiSimFaults;
  journal: AnhuiSimJournal;
  timers: AnhuiSimTimers;
  tokens: AnhuiSimTokens;
  settings: AnhuiSimSettings;
}

type Answer = AnhuiInvokeResult | GetSealResponse;
type Operation = (service: AnhuiScanService, fields: AnhuiSimFields) => Answer;

export const ANHUI_OPERATIONS: Readonly<Record<string, Operation>> = {
  '/grantToken': (s, f) => s.grantToken(f),
  '/initMessage': (s, f) => s.initMessage(f),
  '/getInitMessage': (s, f) => s.getInitMessage(f),
  '/getCaMessageResult': (s, f) => s.getCaMessageResult(f),
  '/saveCaMessageResult': (s, f) => s.saveCaMessageResult(f),
  '/getSealImg': (s, f) => s.getSealImg(f),
  '/api/getSeal': (s, f) => s.getSeal(f),
};

// The spec's own example polls the result with GET and a query string; everything else is a form POST.
const GET_ALLOWED = new Set(['/getCaMessageResult']);
const DEFAULT_TIMEOUT_DELAY_MS = 30_000;

export function registerWireRoutes(fastify: FastifyInstance, deps: AnhuiWireDeps): void {
  for (const [operation, run] of Object.entries(ANHUI_OPERATIONS)) {
    fastify.route({
      method: GET_ALLOWED.has(operation) ? ['GET', 'POST'] : ['POST'],
      url: operation,
      handler: (request, reply) => handle(operation, run, request, reply, deps),
    });
  }
}

async function handle(
  operation: string,
  run: Operation,
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AnhuiWireDeps,
): Promise<FastifyReply> {
  const fault = deps.faults.take(operation);
  const record = (httpStatus: number, answer?: Answer): void =>
    deps.journal.record({
      operation,
      method: request.method,
      at: new Date().toISOString(),
      httpStatus,
      ...(answer ? { invokeCode: 'code' in answer ? answer.code : answer.invokeCode } : {}),
      ...(fault ? { fault: fault.kind } : {}),
    });
  const held = fault?.kind === 'timeout' ? (fault.delayMs ?? DEFAULT_TIMEOUT_DELAY_MS) : 0;
  if (!(await deps.timers.sleep(deps.settings.latencyMs + held))) {
    record(503);
    return reply.code(503).send({ error: 'simulator stopping' });
  }
  if (fault?.kind === 'revoke-tokens') deps.tokens.revokeAll();
  if (fault?.kind === 'http-error') {
    const status = fault.httpStatus ?? 502;
    record(status);
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(`<html><body><h1>${status}</h1>simulated</body></html>`);
  }
  if (fault?.kind === 'malformed') {
    record(200);
    return reply.type('application/json; charset=utf-8').send('{"invokeCode":1,"tok');
  }
  const answer =
    fault?.kind === 'error'
      ? faultAnswer(operation, fault)
      : run(deps.service, requestFields(request.query, request.body));
  record(200, answer);
  return reply.type('application/json; charset=utf-8').send(answer);
}

function faultAnswer(operation: string, fault: AnhuiFault): Answer {
  const message = fault.failMessage ?? '模拟故障';
  if (operation === '/api/getSeal') return { code: String(fault.invokeCode ?? '9999'), message };
  return { invokeCode: fault.invokeCode ?? 0, failMessage: message };
}
