/** Where the scan service is: the configured vendor, or the in-process simulator on embedded defaults. */
export const ANHUI_ENDPOINT = 'ANHUI_ENDPOINT';
export const ANHUI_TRUSTED_ROOTS = 'ANHUI_TRUSTED_ROOTS';

export interface AnhuiEndpoint {
  baseUrl: string;
  /** The in-process simulator's CAs, trusted on embedded defaults so that chain checks run there too. */
  simulatorRoots?: Buffer[];
}
