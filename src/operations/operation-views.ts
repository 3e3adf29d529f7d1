import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { NotFoundError } from '../common/errors';
import { secretHash } from '../common/secrets/per-login-secret';
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
      (handle) => this.view(handle, false),
      (view) => view.status !== 'PENDING',
    );
  }

  /**
   * The operation of this handle. Only its starter holds the handle, so a read may take a decrypted plaintext
   * (`deliver`); the shared event stream never does, so that the plaintext goes to one read only.
   */
  async view(handle: string, deliver = true): Promise<OperationView> {
    const operation = await this.refresher.refresh(handle);
    if (!operation) throw notFound();
    if (operation.type !== 'decrypt' || operation.status !== 'FINISH') return toView(operation, handle);
    if (!deliver) return locked(toView(operation, handle));
    return toView(await this.deliverPlaintext(operation), handle);
  }

  async requireExists(handle: string): Promise<void> {
    if (!(await this.store.findByHandle(secretHash(handle)))) throw notFound();
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

function locked(view: OperationView): OperationView {
  const result = view.result as { plaintext?: string | null } | undefined;
  if (!result || !result.plaintext) return view;
  return { ...view, result: { plaintext: null, locked: 'READ_KEY_REQUIRED' } };
}

function notFound(): NotFoundError {
  return new NotFoundError('No CA operation with this operationId', { field: 'operationId' });
}

/** `handle` is what the PC knows the operation by; the guid stays inside (and in the QR code). */
export function toView(operation: CaOperation, handle: string): OperationView {
  const revoked = operation.revokedAt !== undefined && operation.revokedAt !== null;
  return {
    operationId: handle,
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
