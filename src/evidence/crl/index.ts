export { parseCrl, verifyCrl } from './crl';
export type { CrlInfo, CrlReference } from './crl';
export { CrlRegistry } from './crl-registry';
export type { CrlRegistryOptions, CrlStalePolicy, RevocationCheck } from './crl-registry';
export { CrlRefresher } from './crl-refresher';
export type { CrlFetchOutcome, CrlSourceOptions } from './crl-refresher';
export { CertRevokedError, RevocationUnavailableError } from './crl.errors';
export { crlConfig } from './crl.config';
