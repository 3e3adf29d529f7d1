import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import mongoose from 'mongoose';
import { mongoConfig } from '../config';
import { IndexBuilder } from './index-builder';
import { MongoEngine, selectMongoEngine } from './mongo-engine';

export const MONGO_ENGINE = 'MONGO_ENGINE';

class MongoEngineShutdown implements OnApplicationShutdown {
  constructor(@Inject(MONGO_ENGINE) private readonly engine: MongoEngine) {}

  async onApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: MONGO_ENGINE,
      inject: [mongoConfig.KEY],
      useFactory: async (config: ConfigType<typeof mongoConfig>): Promise<MongoEngine> => {
        const logger = new Logger('MongoEngine');
        const engine = await selectMongoEngine({ uri: config.uri, log: logger });
        if (engine.embedded) {
          logger.warn(
            `EMBEDDED DATABASE, NOT FOR PRODUCTION: ${engine.describe()}; data is lost on exit. Set MONGODB_URI.`,
          );
        } else {
          logger.log(`MongoDB engine: ${engine.describe()}`);
        }
        return engine;
      },
    },
    MongoEngineShutdown,
  ],
  exports: [MONGO_ENGINE],
})
class MongoEngineModule {}

// Each query would otherwise capture a stack trace only used to report a query run twice.
mongoose.set('skipOriginalStackTraces', true);

@Module({
  imports: [
    MongoEngineModule,
    MongooseModule.forRootAsync({
      inject: [MONGO_ENGINE, mongoConfig.KEY],
      useFactory: (engine: MongoEngine, config: ConfigType<typeof mongoConfig>) => ({
        uri: engine.uri,
        dbName: config.dbName,
        ...engine.clientOptions,
        maxPoolSize: 50,
        // A server that stops answering fails requests with DATABASE_UNAVAILABLE within this time, instead of queueing
        // them in mongoose's buffer or on sockets that, by default, never time out.
        bufferCommands: false,
        serverSelectionTimeoutMS: config.timeoutMs,
        connectTimeoutMS: config.timeoutMs,
        socketTimeoutMS: config.timeoutMs,
        // Built by IndexBuilder before anything writes, not in the background while recovery already runs.
        autoIndex: false,
      }),
    }),
  ],
  providers: [IndexBuilder],
  exports: [MongoEngineModule],
})
export class DatabaseModule {}
