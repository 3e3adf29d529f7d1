/** Where the COSS API is: the configured vendor, or the in-process simulator on embedded defaults. */
export const COSS_ENDPOINT = 'COSS_ENDPOINT';

export const COSS_TRUSTED_ROOTS = 'COSS_TRUSTED_ROOTS';

export interface CossEndpoint {
  baseUrl: string;
  /** The in-process simulator's CA, trusted on embedded defaults so that chain checks run there too. */
  simulatorRoots?: Buffer[];
}
