import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CaProviders } from '../ca/ca-providers';
import type { PhoneOperation } from '../ca/ca.types';
import { ConflictError, NotFoundError } from '../common/errors';
import { qrImageDataUrl } from '../common/http/qr-image';
import { newHandle, secretHash } from '../common/secrets/per-login-secret';
import { DecryptDto, EncryptDto, SealDataDto, SealDto, UnsealDto } from './dto/start-operation.dto';
import { StartedOperationView } from './dto/operation.view';
import type { SealDataView } from './dto/seal-data.view';
import { OperationStore } from './operation.store';
import { CaOperation, OperationType } from './schemas/ca-operation.schema';

type StartFields = Pick<CaOperation, 'plaintext' | 'documentHash' | 'sealName' | 'sealOperationId' | 'round'>;

/** Starts encrypt, decrypt, seal and unseal jobs at a vendor that offers them, and reads seal data. */
@Injectable()
export class OperationsService {
  constructor(
    private readonly store: OperationStore,
    private readonly providers: CaProviders,
  ) {}

  encrypt(dto: EncryptDto): Promise<StartedOperationView> {
    // The app only reports its certificate (the gateway encrypts), so the plaintext never goes to the vendor.
    const message = randomBytes(16).toString('hex');
    return this.start('encrypt', message, '数据加密', { plaintext: dto.plaintext }, dto.provider);
  }

  decrypt(dto: DecryptDto): Promise<StartedOperationView> {
    return this.start('decrypt', dto.ciphertext, '数据解密', {}, dto.provider);
  }

  seal(dto: SealDto): Promise<StartedOperationView> {
    return this.start(
      'seal',
      dto.documentHash,
      '文件签章',
      { round: 1, documentHash: dto.documentHash, sealName: dto.sealName },
      dto.provider,
    );
  }

  async unseal(dto: UnsealDto): Promise<StartedOperationView> {
    this.providers.able('unseal');
    const sealed = await this.store.findByHandle(secretHash(dto.sealOperationId));
    if (!sealed || sealed.type !== 'seal')
      throw new NotFoundError('No seal operation with this operationId', { field: 'sealOperationId' });
    if (sealed.status !== 'FINISH') {
      throw new ConflictError(`The seal operation is ${sealed.status}; only a finished seal can be revoked`, {
        field: 'sealOperationId',
        status: sealed.status,
      });
    }
    if (sealed.revokedAt) {
      throw new ConflictError(`The seal operation was already revoked by ${sealed.revokedBy}`, {
        field: 'sealOperationId',
        revokedBy: sealed.revokedBy,
      });
    }
    // Revoked where it was sealed.
    return this.start(
      'unseal',
      sealed.documentHash!,
      '撤销签章',
      { documentHash: sealed.documentHash, sealOperationId: sealed.operationId },
      sealed.provider,
    );
  }

  /** /api/getSeal: the seals of a certificate, answered at once (no QR job). */
  sealData(dto: SealDataDto): Promise<SealDataView> {
    return this.providers.able('sealData', dto.provider).sealData(dto.caSerialId);
  }

  private async start(
    type: OperationType & PhoneOperation,
    message: string,
    title: string,
    fields: StartFields,
    providerName?: string,
  ) {
    const provider = this.providers.able(type, providerName);
    const job = await provider.startOperation(type, message, title);
    const qrImage = await qrImageDataUrl(job.qrContent);
    // The guid travels in the QR code; the PC gets a handle of its own, the only key to the operation and its result.
    const handle = newHandle();
    await this.store.start({
      handleHash: secretHash(handle),
      operationId: job.jobId,
      type,
      provider: provider.name,
      qrCode: job.qrContent,
      expiresAt: job.expiresAt,
      nextPollAt: new Date(0),
      ...fields,
    });
    const view: StartedOperationView = {
      operationId: handle,
      type,
      status: 'PENDING',
      qrCode: job.qrContent,
      qrImage,
      expiresAt: job.expiresAt.toISOString(),
    };
    return view;
  }
}
