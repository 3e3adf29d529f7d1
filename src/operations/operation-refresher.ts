import { Injectable, Logger } from '@nestjs/common';
import { AnhuiProvider } from '../ca/vendors/anhui/anhui.provider';
import type { GetCaMessageResultResponse } from '../ca/vendors/anhui/anhui.wire';
import { CryptSteps } from './crypt.steps';
import { EXPIRED_REASON, OperationStore } from './operation-store';
import { SealSteps } from './seal.steps';
import { CaOperation } from './schemas/ca-operation.schema';

/**
 * Brings an operation up to date with the lease of logins and signing jobs: whoever moves `nextPollAt` asks the scan
 * service, at most once per poll interval per operation however many PCs or instances ask; the others read.
 */
@Injectable()
export class OperationRefresher {
  private readonly logger = new Logger(OperationRefresher.name);

  constructor(
    private readonly store: OperationStore,
    private readonly anhui: AnhuiProvider,
    private readonly crypt: CryptSteps,
    private readonly seals: SealSteps,
  ) {}

  /** The operation, brought up to date; null when there is none with this id. */
  async refresh(operationId: string): Promise<CaOperation | null> {
    const current = await this.store.find(operationId);
    if (!current || current.status !== 'PENDING') return current;
    const now = new Date();
    if (now >= current.expiresAt)
      return this.store.end(current, 'EXPIRED', { type: 'EXPIRED', reason: EXPIRED_REASON });
    const leased = await this.store.lease(current, this.anhui.pollIntervalMs);
    if (!leased) return current;
    const { state, answer } = await this.anhui.result(operationId);
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
          this.logger.warn({ operationId, type: next.type, failure: next.failure?.type }, 'CA operation failed');
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
