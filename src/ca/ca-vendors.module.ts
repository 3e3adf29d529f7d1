import { DynamicModule, Module } from '@nestjs/common';
import { ALL_CA_PROVIDERS } from './ca-providers';
import type { CaProvider } from './ca-provider';
import type { CaVendor } from './ca-vendor';

/** Loads the registered vendors' modules and hands their providers, in registration order, to CaProviders. */
@Module({})
export class CaVendorsModule {
  static register(vendors: readonly CaVendor[]): DynamicModule {
    return {
      module: CaVendorsModule,
      global: true,
      imports: vendors.map((vendor) => vendor.module),
      providers: [
        {
          provide: ALL_CA_PROVIDERS,
          inject: vendors.map((vendor) => vendor.provider),
          useFactory: (...all: CaProvider[]) => all,
        },
      ],
      exports: [ALL_CA_PROVIDERS],
    };
  }
}
