import { GatewayError } from './gateway.errors';

export interface VendorErrorContext {
  vendor: string;
  operation: string;
  vendorCode?: string | number;
  vendorMessage?: string;
}

/** A CA vendor failed us; carries vendor, operation and the vendor's own code and message. */
export abstract class VendorError extends GatewayError {
  constructor(
    message: string,
    readonly context: VendorErrorContext,
  ) {
    super(message, {
      vendor: context.vendor,
      operation: context.operation,
      vendorCode: context.vendorCode,
      vendorMessage: context.vendorMessage,
    });
  }
}

/** The vendor answered and said no. */
export class VendorRefusedError extends VendorError {
  readonly httpStatus = 502;
  readonly type: string = 'VENDOR_REFUSED';
}

export class VendorJobExpiredError extends VendorRefusedError {
  override readonly type = 'VENDOR_JOB_EXPIRED';
}

export class VendorUserInactiveError extends VendorRefusedError {
  override readonly type = 'VENDOR_USER_INACTIVE';
}

export class VendorRequestSignatureError extends VendorRefusedError {
  override readonly type = 'VENDOR_REQUEST_SIGNATURE_REJECTED';
}

export class VendorBadParametersError extends VendorRefusedError {
  override readonly type = 'VENDOR_BAD_PARAMETERS';
}

export class VendorUnauthorizedError extends VendorRefusedError {
  override readonly type = 'VENDOR_UNAUTHORIZED';
}

/** The vendor knows no certificate by the serial the caller gave: a 404 of the caller's, not a vendor failure. */
export class VendorCertificateNotFoundError extends VendorError {
  readonly httpStatus = 404;
  readonly type = 'CERTIFICATE_NOT_FOUND';
}

/** The vendor could not be reached (connection refused, reset, DNS). */
export class VendorUnavailableError extends VendorError {
  readonly httpStatus = 502;
  readonly type = 'VENDOR_UNAVAILABLE';
}

/** The vendor answered something that is not its wire format. */
export class VendorBadResponseError extends VendorError {
  readonly httpStatus = 502;
  readonly type = 'VENDOR_BAD_RESPONSE';
}

export class VendorTimeoutError extends VendorError {
  readonly httpStatus = 504;
  readonly type = 'VENDOR_TIMEOUT';
}
