import { Injectable, Logger } from '@nestjs/common';
import { AnhuiProvider } from '../ca/vendors/anhui/anhui.provider';
import type { GetCaMessageResultResponse } from '../ca/vendors/anhui/anhui.wire';
import { QrJobLifecycle, refreshQrJob } from '../common/qr-job/qr-job';
import { CryptSteps } from './crypt.steps';
import { EXPIRED_REASON, OperationStore } from './operation.store';
import { SealSteps } from './seal.steps';
import { CaOperation } from './schemas/ca-operation.schema';

/** Brings an operation up to date through the QR-job lifecycle of logins and signing jobs. */
@Injectable()
export class OperationRefresher {
  private readonly logger = new Logger(OperationRefresher.name);
  private readonly job: QrJobLifecycle<CaOperation, AnhuiResult> = {
    find: (operationId) => this.store.find(operationId),
    isOpen: (operation) => operation.status === 'PENDING',
    expiresAt: (operation) => operation.expiresAt,
    expire: (operation) => this.store.end(operation, 'EXPIRED', { type: 'EXPIRED', reason: EXPIRED_REASON }),
    pollIntervalMs: () => this.anhui.pollIntervalMs,
    lease: (operation, intervalMs) => this.store.lease(operation, intervalMs),
    poll: (operation) => this.anhui.result(operation.operationId),
    settle: (operation, progress) => this.settle(operation, progress),
  };

  constructor(
    private readonly store: OperationStore,
    private readonly anhui: AnhuiProvider,
    private readonly crypt: CryptSteps,
    private readonly seals: SealSteps,
  ) {}

  /** The operation, brought up to date; null when there is none with this id. */
  refresh(operationId: string): Promise<CaOperation | null> {
    return refreshQrJob(operationId, this.job);
  }

  private async settle(leased: CaOperation, { state, answer }: AnhuiResult): Promise<CaOperation> {
    switch (state) {
      case 'PENDING':
        return leased;
      case 'REJECTED':
        return this.store.end(leased, 'REJECTED', { type: 'REJECTED', reason: rejectionReason(answer) });
      case 'EXPIRED':
        return this.store.end(leased, 'EXPIRED', {
          type: 'EXPIRED',
          reason: 'The scan service says the QR code expired',
        });
      case 'FINISHED': {
        const next = await this.complete(leased, answer.value);
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

/** The app's own words when it gives any (e.g. 解密失败: …), except the JSON a seal's first round leaves behind. */
function rejectionReason(answer: GetCaMessageResultResponse): string {
  const said = typeof answer.extMessage === 'string' ? answer.extMessage.trim() : '';
  return said && !said.startsWith('{') ? said.slice(0, 200) : 'The nurse cancelled the operation on her phone';
}

type AnhuiResult = Awaited<ReturnType<AnhuiProvider['result']>>;
