import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { COSS_PATH_PREFIX, COSS_STATUS, CossEnvelopeWire, CossOperation } from '../../ca/vendors/coss/coss.wire';
import { verifyCossRequestSignature } from '../../ca/vendors/coss/coss-request-signature';
import { COSS_SIM_MESSAGES, cossBadParameters, cossFailure, cossSuccess } from './coss-sim.envelope';
import { COSS_OPERATIONS, CossSimFault, CossSimFaults } from './coss-sim.faults';
import { CossSimJournal } from './coss-sim.journal';
import { CossSimOperations } from './coss-sim.operations';
import { pause } from './coss-sim.pause';

export interface CossRouteDeps {
  operations: CossSimOperations;
  faults: CossSimFaults;
  journal: CossSimJournal;
  appSecret?: string;
  latencyMs: () => number;
  /** Aborted when the simulator stops, so hanging answers end at once. */
  stopping: AbortSignal;
  /** Receives operation and outcome only; a body never reaches a log. */
  log?: (entry: { operation: CossOperation; status: string | number }) => void;
}

const DEFAULT_TIMEOUT_FAULT_MS = 30_000;

/** `POST /coss/service/v1/<operation>`: always HTTP 200 with the COSS envelope, unless a fault says otherwise. */
export function registerCossRoutes(app: FastifyInstance, deps: CossRouteDeps): void {
  app.post<{ Params: { operation: string } }>(`${COSS_PATH_PREFIX}/:operation`, async (request, reply) => {
    const operation = request.params.operation as CossOperation;
    if (!COSS_OPERATIONS.includes(operation)) return reply.code(404).send(cossFailure(404, '接口不存在'));
    const body = isObject(request.body) ? request.body : undefined;
    deps.journal.record(operation, body ?? {});

    const disconnected = new AbortController();
    reply.raw.once('close', () => disconnected.abort());
    const signals = [deps.stopping, disconnected.signal];
    const done = (outcome: string | number): void => {
      deps.log?.({ operation, status: outcome });
    };

    if (!(await pause(deps.latencyMs(), signals))) return drop(request, reply);

    const fault = deps.faults.peek(operation);
    if (fault && fault.kind !== 'wrong-signature') deps.faults.consume(fault);
    switch (fault?.kind) {
      case 'drop':
        done('drop');
        return drop(request, reply);
      case 'http-error': {
        const status = fault.status ?? 502;
        done(`http-${status}`);
        return reply
          .code(status)
          .type('text/html')
          .send(`<html><body><h1>${status}</h1>simulated HTTP error</body></html>`);
      }
      case 'malformed':
        done('malformed');
        return fault.variant === 'missing-fields'
          ? reply.send(cossSuccess({}))
          : reply.type('application/json').send(Buffer.from('{"status":200,"message":"SUCC'));
      case 'error': {
        const envelope = faultEnvelope(fault);
        done(envelope.status);
        return reply.send(envelope);
      }
      case 'timeout':
        if (!(await pause(fault.delayMs ?? DEFAULT_TIMEOUT_FAULT_MS, signals))) return drop(request, reply);
        break;
    }

    const envelope = answer(deps, operation, body, fault);
    done(envelope.status);
    return reply.send(envelope);
  });
}

function answer(
  deps: CossRouteDeps,
  operation: CossOperation,
  body: Record<string, unknown> | undefined,
  fault: CossSimFault | undefined,
): CossEnvelopeWire<unknown> {
  if (!body) return cossBadParameters('request body must be a JSON object');
  if (deps.appSecret !== undefined && !verifyCossRequestSignature(body, deps.appSecret)) {
    return cossFailure(COSS_STATUS.REQUEST_SIGNATURE_INVALID, COSS_SIM_MESSAGES.REQUEST_SIGNATURE_INVALID);
  }
  const wrongSignature = fault?.kind === 'wrong-signature';
  const result = deps.operations.handle(operation, body, wrongSignature);
  if (wrongSignature && result.signed) deps.faults.consume(fault);
  return result.envelope;
}

function faultEnvelope(fault: CossSimFault): CossEnvelopeWire<unknown> {
  const status = fault.status ?? 500;
  if (status === COSS_STATUS.BAD_PARAMETERS) return cossBadParameters(fault.message ?? 'simulated fault');
  return cossFailure(status, fault.message ?? '系统内部错误');
}

function drop(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.hijack();
  request.raw.socket.destroy();
  return reply;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
