import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { timingSafeEqual } from 'node:crypto';
import { NotFoundError } from '../common/errors';
import { sm3Hex } from '../crypto';
import { SharedPollingStreams } from '../common/http/sse';
import { caConfig } from '../config';
import { OperationResult, OperationView } from './dto/operation.view';
import { OperationRefresher } from './operation-refresher';
import { OperationStore } from './operation.store';
import { CaOperation } from './schemas/ca-operation.schema';

/** What GET, POST result and the event stream answer: the operation brought up to date, as the PC sees it. */
@Injectable()
export class OperationViews {
  readonly streams: SharedPollingStreams<OperationView>;

  constructor(
    private readonly refresher: OperationRefresher,
    private readonly store: OperationStore,
    @Inject(caConfig.KEY) config: ConfigType<typeof caConfig>,
  ) {
    this.streams = new SharedPollingStreams(
      config.pollIntervalMs,
      (id) => this.view(id, undefined),
      (view) => view.status !== 'PENDING',
    );
  }

  /** `readKey` from the start answer; without it (and on the shared event stream) a plaintext is never shown. */
  async view(operationId: string, readKey: string | undefined): Promise<OperationView> {
    const operation = await this.refresher.refresh(operationId);
    if (!operation) throw notFound(operationId);
    if (operation.type !== 'decrypt' || operation.status !== 'FINISH') return toView(operation);
    if (!holdsKey(operation, readKey)) return locked(toView(operation));
    return toView(await this.deliverPlaintext(operation));
  }

  async requireExists(operationId: string): Promise<void> {
    if (!(await this.store.exists(operationId))) throw notFound(operationId);
  }

  /** The first read gets the plaintext and removes it; later reads see why it is gone. */
  private async deliverPlaintext(operation: CaOperation): Promise<CaOperation> {
    if (operation.result?.removed !== undefined) return operation;
    const now = new Date();
    const taken = await this.store.takePlaintext(operation.operationId, now);
    if (taken) return taken;
    if (operation.resultExpiresAt && operation.resultExpiresAt <= now)
      await this.store.purgePlaintexts(now, operation.operationId);
    return (await this.store.find(operation.operationId)) ?? operation;
  }
}

function holdsKey(operation: CaOperation, readKey: string | undefined): boolean {
  if (!readKey || !operation.readKeySm3) return false;
  const given = Buffer.from(sm3Hex(Buffer.from(readKey)), 'hex');
  const expected = Buffer.from(operation.readKeySm3, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function locked(view: OperationView): OperationView {
  const result = view.result as { plaintext?: string | null } | undefined;
  if (!result || !result.plaintext) return view;
  return { ...view, result: { plaintext: null, locked: 'READ_KEY_REQUIRED' } };
}

function notFound(operationId: string): NotFoundError {
  return new NotFoundError(`No CA operation with operationId ${operationId}`, { field: 'operationId' });
}

export function toView(operation: CaOperation): OperationView {
  const revoked = operation.revokedAt !== undefined && operation.revokedAt !== null;
  return {
    operationId: operation.operationId,
    type: operation.type,
    status: operation.status,
    qrCode: operation.qrCode,
    expiresAt: operation.expiresAt.toISOString(),
    ...(operation.status === 'FINISH' &&
      operation.result && { result: operation.result as unknown as OperationResult }),
    ...(operation.failure && { failure: { type: operation.failure.type, reason: operation.failure.reason } }),
    ...(operation.sealOperationId && { sealOperationId: operation.sealOperationId }),
    ...(revoked && { revokedAt: operation.revokedAt!.toISOString(), revokedBy: operation.revokedBy }),
  };
}
