import { GatewayError } from '../../common/errors/gateway.errors';

/** The certificate is on a verified CRL of its issuer: refused at login and when a signature is accepted. */
export class CertRevokedError extends GatewayError {
  readonly httpStatus = 403;
  readonly type = 'CERT_REVOKED';
}

/** CRL_STALE_POLICY=refuse and the issuer's newest CRL is past its nextUpdate: revocation cannot be checked. */
export class RevocationUnavailableError extends GatewayError {
  readonly httpStatus = 503;
  readonly type = 'REVOCATION_UNAVAILABLE';
}
