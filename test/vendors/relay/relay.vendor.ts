import type { CaVendor } from '../../../src/ca/ca-vendor';
import { RELAY_VENDOR, relayConfig, RelayEnvironment, relayProductionProblems } from './relay.config';
import { RelayModule } from './relay.module';
import { RelayProvider } from './relay.provider';

export const relayVendor: CaVendor = {
  name: RELAY_VENDOR,
  module: RelayModule,
  provider: RelayProvider,
  config: relayConfig,
  environment: RelayEnvironment,
  productionProblems: relayProductionProblems,
};
