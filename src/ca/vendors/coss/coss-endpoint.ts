import type { VendorEndpoint } from '../../vendor-module';

/** Where the COSS API is: the configured vendor, or the in-process simulator on embedded defaults. */
export const COSS_ENDPOINT = 'COSS_ENDPOINT';
export const COSS_TRUSTED_ROOTS = 'COSS_TRUSTED_ROOTS';

export type CossEndpoint = VendorEndpoint;
