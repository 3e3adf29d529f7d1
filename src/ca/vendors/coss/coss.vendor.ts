import type { CaVendor } from '../../ca-vendor';
import { cossConfig, CossEnvironment, cossProductionProblems } from './coss.config';
import { COSS_VENDOR } from './coss.mapping';
import { CossModule } from './coss.module';
import { CossProvider } from './coss.provider';

/** Beijing cloud-sign (COSS v1): QR login, then automatic signing. */
export const cossVendor: CaVendor = {
  name: COSS_VENDOR,
  module: CossModule,
  provider: CossProvider,
  config: cossConfig,
  environment: CossEnvironment,
  urlVariables: ['COSS_BASE_URL'],
  rootVariables: ['COSS_TRUSTED_ROOTS'],
  productionProblems: cossProductionProblems,
};
