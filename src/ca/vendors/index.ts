import type { CaVendor } from '../ca-vendor';
import { anhuiVendor } from './anhui/anhui.vendor';
import { cossVendor } from './coss/coss.vendor';

/** The CA vendors the gateway ships, in the order CA_PROVIDERS defaults to; a new vendor is one more entry. */
export const CA_VENDORS: readonly CaVendor[] = [cossVendor, anhuiVendor];
