import type { VendorEndpoint } from '../../vendor-module';

/** Where the scan service is: the configured vendor, or the in-process simulator on embedded defaults. */
export const ANHUI_ENDPOINT = 'ANHUI_ENDPOINT';
export const ANHUI_TRUSTED_ROOTS = 'ANHUI_TRUSTED_ROOTS';

export type AnhuiEndpoint = VendorEndpoint;
