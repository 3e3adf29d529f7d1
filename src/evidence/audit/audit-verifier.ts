import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AuditLogStore } from './audit-log.store';
import { auditConfig } from './audit.config';
import { ChainReport, verifyChain } from './chain-verifier';
import { HeadTimestamper } from './head-timestamper';

/** Verifies the stored chain, or a seq range of it, with every configured key and the TSA's token check. */
@Injectable()
export class AuditVerifier {
  constructor(
    private readonly store: AuditLogStore,
    @Inject(auditConfig.KEY) private readonly config: ConfigType<typeof auditConfig>,
    @Optional() private readonly timestamper?: HeadTimestamper,
  ) {}

  verify(fromSeq?: number, toSeq?: number): Promise<ChainReport> {
    return verifyStoredChain(this.store, { keys: this.config.keys, timestamps: this.timestamper, fromSeq, toSeq });
  }
}

export async function verifyStoredChain(
  store: Pick<AuditLogStore, 'range' | 'bySeq'>,
  options: { keys?: Map<string, Buffer>; timestamps?: HeadTimestamper; fromSeq?: number; toSeq?: number },
): Promise<ChainReport> {
  const fromSeq = Math.max(1, options.fromSeq ?? 1);
  const base = fromSeq > 1 ? await store.bySeq(fromSeq - 1) : null;
  return verifyChain(store.range(fromSeq, options.toSeq), { ...options, fromSeq, base });
}
