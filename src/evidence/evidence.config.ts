import { validateCrlEnvironment } from './crl/crl.config';
import { validateTsaEnvironment } from './timestamp/tsa.config';

/** The TSA_* and CRL_* variables, checked at start-up beside the main environment. */
export function validateEvidenceEnvironment(raw: Record<string, unknown>): void {
  validateTsaEnvironment(raw);
  validateCrlEnvironment(raw);
}
