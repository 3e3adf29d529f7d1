import {
  VendorBadParametersError,
  VendorBadResponseError,
  VendorJobExpiredError,
  VendorRefusedError,
  VendorRequestSignatureError,
  VendorUserInactiveError,
} from '../../../common/errors';
import { BadParametersData, COSS_STATUS, CossEnvelopeWire, CossOperation } from './coss.wire';

export const COSS_VENDOR = 'coss';

/** Reads a COSS answer: the data of a success, or the typed error of the vendor code it carries. */
export function unwrapCossEnvelope<T>(operation: CossOperation, body: unknown): T {
  const envelope = body as Partial<CossEnvelopeWire<T>> | null;
  const status = Number(envelope?.status);
  if (!envelope || typeof envelope !== 'object' || !Number.isFinite(status)) {
    throw new VendorBadResponseError(`COSS ${operation} answered without a status envelope`, {
      vendor: COSS_VENDOR,
      operation,
    });
  }
  if (status === COSS_STATUS.SUCCESS) {
    if (envelope.data === undefined || envelope.data === null || typeof envelope.data !== 'object') {
      throw new VendorBadResponseError(`COSS ${operation} succeeded without data`, { vendor: COSS_VENDOR, operation });
    }
    return envelope.data;
  }
  throw cossError(operation, status, envelope);
}

function cossError(
  operation: CossOperation,
  status: number,
  envelope: Partial<CossEnvelopeWire<unknown>>,
): VendorRefusedError {
  const detail =
    status === COSS_STATUS.BAD_PARAMETERS ? (envelope.data as BadParametersData | null)?.errMsg : undefined;
  const vendorMessage = [envelope.message, detail].filter(Boolean).join(': ') || undefined;
  const context = { vendor: COSS_VENDOR, operation, vendorCode: status, vendorMessage };
  const say = (what: string) => `COSS ${operation}: ${what} (${status}${vendorMessage ? ` ${vendorMessage}` : ''})`;
  switch (status) {
    case COSS_STATUS.JOB_EXPIRED:
      return new VendorJobExpiredError(say('the signing job has expired'), context);
    case COSS_STATUS.USER_INACTIVE:
      return new VendorUserInactiveError(say('the user is missing or not active'), context);
    case COSS_STATUS.REQUEST_SIGNATURE_INVALID:
      return new VendorRequestSignatureError(say("the vendor rejected the gateway's request signature"), context);
    case COSS_STATUS.BAD_PARAMETERS:
      return new VendorBadParametersError(say('the vendor rejected the request parameters'), context);
    default:
      return new VendorRefusedError(say('the vendor refused the request'), context);
  }
}
