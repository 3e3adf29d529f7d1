import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { retryEngineRace } from './engine-race';

/**
 * Creates every declared index (mongoose's automatic build is off) in a start-up step that Nest awaits before any
 * `onApplicationBootstrap` hook (recovery sweeps) and before the server listens, so that nothing of this instance writes
 * while an index is built. Unique indexes are what makes the idempotent claim safe: a gateway must not serve before
 * they exist. Indexes are only ever added, never dropped (another instance may run a newer schema).
 */
@Injectable()
export class IndexBuilder implements OnModuleInit {
  private readonly logger = new Logger(IndexBuilder.name);

  constructor(@InjectConnection() private readonly connection: Connection) {}

  async onModuleInit(): Promise<void> {
    const started = Date.now();
    const models = Object.values(this.connection.models);
    for (const model of models) {
      await retryEngineRace(() => model.init());
      await retryEngineRace(() => model.createIndexes());
    }
    this.logger.log(`Indexes of ${models.length} collections ready in ${Date.now() - started} ms`);
  }
}
