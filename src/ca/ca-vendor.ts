import type { DynamicModule, Type } from '@nestjs/common';
import type { ConfigFactory, ConfigFactoryKeyHost } from '@nestjs/config';
import type { VendorEnvironment } from '../config';
import type { CaProvider } from './ca-provider';

/**
 * One CA vendor, as its folder under src/ca/vendors/ describes it: registered by adding it to the vendor list, the
 * gateway loads its config namespace, validates its variables, applies its production rules and routes by its name.
 */
export interface CaVendor extends VendorEnvironment {
  /** Its Nest module; it exports `provider`. */
  module: Type | DynamicModule;
  provider: Type<CaProvider>;
  /** Its `registerAs` config namespace. */
  config: ConfigFactory & ConfigFactoryKeyHost<any>;
}
