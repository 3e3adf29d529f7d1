import { GatewayError } from '../../common/errors/gateway.errors';

/** The chain holds anchors, but nothing is configured to check their TSA tokens (no TSA root): it cannot be judged. */
export class AuditUnverifiableError extends GatewayError {
  readonly httpStatus = 503;
  readonly type = 'AUDIT_UNVERIFIABLE';
}
