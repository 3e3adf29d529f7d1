import type { CaVendor } from '../../ca-vendor';
import { anhuiConfig, AnhuiEnvironment, anhuiProductionProblems } from './anhui.config';
import { ANHUI_VENDOR } from './anhui.client';
import { AnhuiModule } from './anhui.module';
import { AnhuiProvider } from './anhui.provider';

/** The Anhui-style mobile scan service: QR login, every signature and operation confirmed on the phone. */
export const anhuiVendor: CaVendor = {
  name: ANHUI_VENDOR,
  module: AnhuiModule,
  provider: AnhuiProvider,
  config: anhuiConfig,
  environment: AnhuiEnvironment,
  urlVariables: ['ANHUI_SCAN_BASE_URL'],
  rootVariables: ['ANHUI_TRUSTED_ROOTS'],
  productionProblems: anhuiProductionProblems,
};
