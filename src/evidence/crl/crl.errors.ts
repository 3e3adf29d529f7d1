import { GatewayError } from '../../common/errors/gateway.errors';

/**
 * The certificate is on a verified CRL of its issuer: refused at login and when a signature is accepted. 403, not
 * 422: the request is well formed, but its certificate may no longer sign (as another nurse's authorization is 403).
 */
export class CertRevokedError extends GatewayError {
  readonly httpStatus = 403;
  readonly type = 'CERT_REVOKED';
}

/** CRL_STALE_POLICY=refuse and the issuer's newest CRL is past its nextUpdate: revocation cannot be checked now. */
export class CrlStaleError extends GatewayError {
  readonly httpStatus = 503;
  readonly type = 'CRL_STALE';
}
