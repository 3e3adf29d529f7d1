import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CaProviders } from '../ca/ca-providers';
import type { VerifiedSignature } from '../ca/ca.types';
import { SignatureRejectedError } from '../common/errors';
import { caConfig } from '../config';
import { CertRevokedError } from '../evidence/crl/crl.errors';
import { Revocation } from '../evidence/crl/revocation.service';
import { SealResult, UnsealResult } from './dto/operation.view';
import { OperationStore } from './operation.store';
import { chooseSeal, parseSealValue } from './seal-rounds';
import { CaOperation } from './schemas/ca-operation.schema';

type Verified = { signature: VerifiedSignature } | { rejected: CaOperation };

/**
 * Seal (签章) in two rounds and unseal (撤章). Both rounds of a seal arrive as status 2; the value tells them apart
 * and `round` says which one this operation waits for.
 */
@Injectable()
export class SealSteps {
  constructor(
    private readonly store: OperationStore,
    private readonly providers: CaProviders,
    private readonly revocation: Revocation,
    @Inject(caConfig.KEY) private readonly config: ConfigType<typeof caConfig>,
  ) {}

  async seal(operation: CaOperation, value: string | null | undefined): Promise<CaOperation> {
    const parsed = parseSealValue(value);
    if (parsed.round === 'invalid')
      return this.store.end(operation, 'FAILED', { type: 'VENDOR_BAD_RESPONSE', reason: parsed.reason });
    if (parsed.round === 1) {
      return operation.round === 1
        ? this.storeHash(operation, parsed.signatureCompanyCode)
        : this.storeHashAgain(operation);
    }
    if (operation.round !== 2 || !operation.seal) {
      return this.store.end(operation, 'FAILED', {
        type: 'VENDOR_BAD_RESPONSE',
        reason: 'The app signed before the document hash was stored',
      });
    }
    const verified = await this.verify(operation, parsed.signStr, parsed.pubCert);
    if ('rejected' in verified) return verified.rejected;
    const certificate = verified.signature.certificate;
    const result: SealResult = {
      signature: parsed.signStr,
      certificate: {
        serialNumber: certificate.serialNumber,
        subject: certificate.subject,
        der: certificate.der.toString('base64'),
      },
      seal: { name: operation.seal.name, image: operation.seal.image },
      signatureCompanyCode: parsed.signatureCompanyCode ?? operation.signatureCompanyCode,
    };
    return this.store.finish(operation, { ...result }, { sealerSm3: certificate.fingerprintSm3 });
  }

  /** The seal is revoked only when the unseal is signed with the very certificate that sealed. */
  async unseal(operation: CaOperation, value: string | null | undefined): Promise<CaOperation> {
    const verified = await this.verify(operation, String(value ?? ''));
    if ('rejected' in verified) return verified.rejected;
    const certificate = verified.signature.certificate;
    const sealOperationId = operation.sealOperationId!;
    const sealed = await this.store.find(sealOperationId);
    if (sealed?.sealerSm3 !== certificate.fingerprintSm3) {
      return this.store.end(operation, 'FAILED', {
        type: 'NOT_THE_SEALER',
        reason: `The unseal was signed by ${certificate.subject}, not by the certificate that sealed ${sealOperationId}; the seal stays`,
      });
    }
    const revoked = await this.store.revoke(
      sealOperationId,
      certificate.fingerprintSm3,
      operation.operationId,
      new Date(),
    );
    if (!revoked) {
      return this.store.end(operation, 'FAILED', {
        type: 'ALREADY_REVOKED',
        reason: `The seal ${sealOperationId} was revoked by another operation`,
      });
    }
    const result: UnsealResult = {
      sealOperationId,
      revokedAt: revoked.revokedAt!.toISOString(),
      signature: String(value),
      certificate: { serialNumber: certificate.serialNumber, subject: certificate.subject },
    };
    return this.store.finish(operation, { ...result });
  }

  /** Round 1: the app has named its seal company; fetch the seals, keep one, and hand the hash over to be signed. */
  private async storeHash(operation: CaOperation, signatureCompanyCode: string): Promise<CaOperation> {
    const offered = await this.providers.get(operation.provider).sealOptions(operation.operationId);
    const seal = chooseSeal(offered, operation.sealName);
    if (!seal) {
      return this.store.end(operation, 'FAILED', {
        type: 'NO_SEAL',
        reason: 'The seal service offers no seal image for this certificate',
      });
    }
    const now = Date.now();
    // The QR has been used; the nurse now needs time to sign, so the deadline starts again.
    const next = await this.store.advance(operation, {
      seal: { name: seal.name, image: seal.image },
      signatureCompanyCode,
      expiresAt: new Date(now + this.config.loginExpirySeconds * 1000),
    });
    if (!next.moved) return next.operation;
    return this.storeHashAgain(next.operation);
  }

  /** Also after a failed or lost save: the app still shows round 1 while this operation is in round 2. */
  private async storeHashAgain(operation: CaOperation): Promise<CaOperation> {
    await this.providers.get(operation.provider).storeSealHash(operation.operationId, operation.documentHash!);
    return operation;
  }

  /** The phone's signature, verified, from a certificate that is not revoked. */
  private async verify(operation: CaOperation, signStr: string, pubCert?: string): Promise<Verified> {
    try {
      const signature = await this.providers
        .get(operation.provider)
        .verifyOperationSignature(
          operation.type === 'unseal' ? 'unseal' : 'seal',
          signStr,
          Buffer.from(operation.documentHash!, 'utf8'),
          pubCert,
        );
      await this.revocation.require(signature.certificate);
      return { signature };
    } catch (error) {
      if (error instanceof CertRevokedError) {
        return { rejected: await this.store.end(operation, 'FAILED', { type: error.type, reason: error.message }) };
      }
      if (!(error instanceof SignatureRejectedError)) throw error;
      return {
        rejected: await this.store.end(operation, 'FAILED', { type: 'SIGNATURE_REJECTED', reason: error.message }),
      };
    }
  }
}
