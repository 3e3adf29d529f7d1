import { Injectable, Logger } from '@nestjs/common';
import { CaProviders } from '../ca/ca-providers';
import type { OperationProgress } from '../ca/ca.types';
import { secretHash } from '../common/secrets/per-login-secret';
import { QrJobLifecycle, refreshQrJob } from '../common/qr-job/qr-job';
import { CryptSteps } from './crypt.steps';
import { EXPIRED_REASON, OperationStore } from './operation.store';
import { SealSteps } from './seal.steps';
import { CaOperation } from './schemas/ca-operation.schema';

/** Brings an operation up to date through the QR-job lifecycle of logins and signing jobs. */
@Injectable()
export class OperationRefresher {
  private readonly logger = new Logger(OperationRefresher.name);
  private readonly job: QrJobLifecycle<CaOperation, OperationProgress> = {
    find: (handleHash) => this.store.findByHandle(handleHash),
    isOpen: (operation) => operation.status === 'PENDING',
    expiresAt: (operation) => operation.expiresAt,
    expire: (operation) => this.store.end(operation, 'EXPIRED', { type: 'EXPIRED', reason: EXPIRED_REASON }),
    pollIntervalMs: (operation) => this.providers.get(operation.provider).pollIntervalMs,
    lease: (operation, intervalMs) => this.store.lease(operation, intervalMs),
    poll: (operation) =>
      this.providers.get(operation.provider).pollOperation({ jobId: operation.operationId, operation: operation.type }),
    settle: (operation, progress) => this.settle(operation, progress),
  };

  constructor(
    private readonly store: OperationStore,
    private readonly providers: CaProviders,
    private readonly crypt: CryptSteps,
    private readonly seals: SealSteps,
  ) {}

  /** The operation of this handle, brought up to date; null for any other id (the guid in the QR code among them). */
  refresh(handle: string): Promise<CaOperation | null> {
    return refreshQrJob(secretHash(handle), this.job);
  }

  private async settle(leased: CaOperation, { state, value, reason }: OperationProgress): Promise<CaOperation> {
    switch (state) {
      case 'PENDING':
        return leased;
      case 'REJECTED':
        return this.store.end(leased, 'REJECTED', {
          type: 'REJECTED',
          reason: reason ?? 'The nurse cancelled the operation on her phone',
        });
      case 'EXPIRED':
        return this.store.end(leased, 'EXPIRED', {
          type: 'EXPIRED',
          reason: 'The scan service says the QR code expired',
        });
      case 'FINISHED': {
        const next = await this.complete(leased, value);
        if (next.status === 'FAILED') {
          const { operationId, type, failure } = next;
          this.logger.warn({ operationId, type, failure: failure?.type }, 'CA operation failed');
        }
        return next;
      }
    }
  }

  private complete(operation: CaOperation, value: string | null | undefined): Promise<CaOperation> {
    switch (operation.type) {
      case 'encrypt':
        return this.crypt.encrypt(operation, value);
      case 'decrypt':
        return this.crypt.decrypt(operation, value);
      case 'seal':
        return this.seals.seal(operation, value);
      case 'unseal':
        return this.seals.unseal(operation, value);
    }
  }
}
