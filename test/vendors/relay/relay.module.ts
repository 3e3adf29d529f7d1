import { Module } from '@nestjs/common';
import { CaCoreModule } from '../../../src/ca/ca-core.module';
import { vendorHttpModule } from '../../../src/ca/vendor-module';
import { relayConfig } from './relay.config';
import { RelayProvider } from './relay.provider';

@Module({
  imports: [CaCoreModule, vendorHttpModule(relayConfig.KEY, (config) => config.timeoutMs)],
  providers: [RelayProvider],
  exports: [RelayProvider],
})
export class RelayModule {}
