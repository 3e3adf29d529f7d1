import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { ALL_CA_PROVIDERS } from '../../ca/ca-providers';
import type { CaProvider } from '../../ca/ca-provider';
import { CaCrl, CaCrlSchema } from './ca-crl.schema';
import { CrlRefresher } from './crl-refresher';
import { CrlRegistry } from './crl-registry';
import { CrlSources } from './crl-sources';
import { crlConfig } from './crl.config';
import { CrlStore } from './crl.store';
import { Revocation } from './revocation.service';

/** CRLs verified against the vendors' trusted roots, the revocation checks on them, and the kept CRL bytes (caCrls). */
@Module({
  imports: [ConfigModule.forFeature(crlConfig), MongooseModule.forFeature([{ name: CaCrl.name, schema: CaCrlSchema }])],
  providers: [
    {
      provide: CrlRegistry,
      inject: [crlConfig.KEY, ALL_CA_PROVIDERS],
      useFactory: (config: ConfigType<typeof crlConfig>, vendors: CaProvider[]) =>
        new CrlRegistry({ trustedRoots: vendors.flatMap((v) => v.trustedRoots), stalePolicy: config.stalePolicy }),
    },
    {
      provide: CrlRefresher,
      inject: [CrlRegistry, crlConfig.KEY],
      useFactory: (registry: CrlRegistry, config: ConfigType<typeof crlConfig>) => new CrlRefresher(registry, config),
    },
    CrlSources,
    CrlStore,
    Revocation,
  ],
  exports: [Revocation, CrlRegistry, CrlRefresher, CrlStore],
})
export class CrlModule {}
