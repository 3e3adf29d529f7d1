import { Module } from '@nestjs/common';
import { CaCoreModule } from './ca-core.module';
import { CaProvider } from './ca-provider';
import { CaProviders } from './ca-providers';

/** The vendor-neutral CA services; the vendors themselves come from CaVendorsModule, registered at the top. */
@Module({
  imports: [CaCoreModule],
  providers: [
    CaProviders,
    { provide: CaProvider, inject: [CaProviders], useFactory: (providers: CaProviders) => providers.default },
  ],
  exports: [CaCoreModule, CaProviders, CaProvider],
})
export class CaModule {}
