import { Module } from '@nestjs/common';
import { AnhuiModule } from '../ca/vendors/anhui/anhui.module';
import { AnhuiProvider } from '../ca/vendors/anhui/anhui.provider';
import { CossModule } from '../ca/vendors/coss/coss.module';
import { CossProvider } from '../ca/vendors/coss/coss.provider';
import { CaCoreModule } from './ca-core.module';
import { CaProvider } from './ca-provider';
import { ALL_CA_PROVIDERS, CaProviders } from './ca-providers';

@Module({
  imports: [CaCoreModule, CossModule, AnhuiModule],
  providers: [
    { provide: ALL_CA_PROVIDERS, inject: [CossProvider, AnhuiProvider], useFactory: (...all: CaProvider[]) => all },
    CaProviders,
    { provide: CaProvider, inject: [CaProviders], useFactory: (providers: CaProviders) => providers.default },
  ],
  exports: [CaCoreModule, CaProviders, CaProvider, AnhuiModule],
})
export class CaModule {}
