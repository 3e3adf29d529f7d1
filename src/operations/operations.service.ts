import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AnhuiProvider } from '../ca/vendors/anhui/anhui.provider';
import { ANHUI_TYPE, AnhuiType } from '../ca/vendors/anhui/anhui.wire';
import { CaProviders } from '../ca/ca-providers';
import { ConflictError, NotFoundError, RequestValidationError } from '../common/errors';
import { qrImageDataUrl } from '../common/http/qr-image';
import { sm3Hex } from '../crypto';
import { DecryptDto, EncryptDto, SealDataDto, SealDto, UnsealDto } from './dto/start-operation.dto';
import { StartedOperationView } from './dto/operation.view';
import { SealDataView } from './dto/seal-data.view';
import { OperationStore } from './operation.store';
import { toSealDataView } from './seal-data';
import { CaOperation, OperationType } from './schemas/ca-operation.schema';

type StartFields = Pick<CaOperation, 'plaintext' | 'documentHash' | 'sealName' | 'sealOperationId' | 'round'>;

/** Starts encrypt, decrypt, seal and unseal jobs at the Anhui scan service, and reads seal data. */
@Injectable()
export class OperationsService {
  constructor(
    private readonly store: OperationStore,
    private readonly providers: CaProviders,
    private readonly anhui: AnhuiProvider,
  ) {}

  encrypt(dto: EncryptDto): Promise<StartedOperationView> {
    // The app only reports its certificate (the gateway encrypts), so the plaintext never goes to the vendor.
    const message = randomBytes(16).toString('hex');
    return this.start('encrypt', ANHUI_TYPE.ENCRYPT, message, '数据加密', { plaintext: dto.plaintext });
  }

  decrypt(dto: DecryptDto): Promise<StartedOperationView> {
    return this.start('decrypt', ANHUI_TYPE.DECRYPT, dto.ciphertext, '数据解密', {});
  }

  seal(dto: SealDto): Promise<StartedOperationView> {
    return this.start('seal', ANHUI_TYPE.SEAL, dto.documentHash, '文件签章', {
      round: 1,
      documentHash: dto.documentHash,
      sealName: dto.sealName,
    });
  }

  async unseal(dto: UnsealDto): Promise<StartedOperationView> {
    this.requireAnhui();
    const id = dto.sealOperationId;
    const sealed = await this.store.find(id);
    if (!sealed || sealed.type !== 'seal')
      throw new NotFoundError(`No seal operation with operationId ${id}`, { field: 'sealOperationId' });
    if (sealed.status !== 'FINISH') {
      throw new ConflictError(`Seal operation ${id} is ${sealed.status}; only a finished seal can be revoked`, {
        field: 'sealOperationId',
        status: sealed.status,
      });
    }
    if (sealed.revokedAt) {
      throw new ConflictError(`Seal operation ${id} was already revoked by ${sealed.revokedBy}`, {
        field: 'sealOperationId',
        revokedBy: sealed.revokedBy,
      });
    }
    return this.start('unseal', ANHUI_TYPE.UNSEAL, sealed.documentHash!, '撤销签章', {
      documentHash: sealed.documentHash,
      sealOperationId: id,
    });
  }

  /** /api/getSeal: the seals of a certificate, answered at once (no QR job). */
  async sealData(dto: SealDataDto): Promise<SealDataView> {
    this.requireAnhui();
    return toSealDataView(await this.anhui.client.getSeal(dto.caSerialId));
  }

  private async start(type: OperationType, anhuiType: AnhuiType, message: string, title: string, fields: StartFields) {
    this.requireAnhui();
    const job = await this.anhui.startJob(anhuiType, message, title);
    const qrImage = await qrImageDataUrl(job.qrContent);
    // The operationId travels in the QR code; a decrypted plaintext is handed only to whoever holds this key.
    const readKey = randomBytes(24).toString('base64url');
    await this.store.start({
      readKeySm3: sm3Hex(Buffer.from(readKey)),
      operationId: job.jobId,
      type,
      provider: this.anhui.name,
      qrCode: job.qrContent,
      expiresAt: job.expiresAt,
      nextPollAt: new Date(0),
      ...fields,
    });
    const view: StartedOperationView = {
      operationId: job.jobId,
      type,
      status: 'PENDING',
      qrCode: job.qrContent,
      qrImage,
      expiresAt: job.expiresAt.toISOString(),
      readKey,
    };
    return view;
  }

  private requireAnhui(): void {
    if (this.providers.names().includes(this.anhui.name)) return;
    throw new RequestValidationError([
      {
        field: 'provider',
        problems: ['provider anhui is not enabled (CA_PROVIDERS): CA operations need the Anhui scan service'],
      },
    ]);
  }
}
