import * as asn1js from 'asn1js';
import { pkijs } from '../../crypto/pkijs-engine';
import { TimestampCheckError } from './timestamp.types';
import { GRANTED_STATUSES } from './tsp.constants';

export interface GrantedToken {
  der: Buffer;
  /** The token as decoded with the reply; checkTimestampToken reads it without decoding the DER again. */
  decoded: asn1js.AsnType;
}

/** The token out of a TimeStampResp, after checking that the TSA granted it. */
export function grantedTokenOf(body: Buffer): GrantedToken {
  const asn = asn1js.fromBER(body);
  if (asn.offset === -1 || asn.offset !== body.length)
    throw new TimestampCheckError('BAD_RESPONSE', 'reply is not one DER TimeStampResp');
  // Only the status is read here: the token is read once, by checkTimestampToken.
  const fields = asn.result instanceof asn1js.Sequence ? asn.result.valueBlock.value : [];
  let statusInfo: pkijs.PKIStatusInfo;
  try {
    if (fields.length < 1 || fields.length > 2) throw new Error('a TimeStampResp has one or two fields');
    statusInfo = new pkijs.PKIStatusInfo({ schema: fields[0] });
  } catch {
    throw new TimestampCheckError('BAD_RESPONSE', 'reply is not a TimeStampResp');
  }
  const { status, statusStrings, failInfo } = statusInfo;
  if (!GRANTED_STATUSES.has(status)) {
    const text = statusStrings?.map((s) => s.valueBlock.value).join('; ');
    const info = failInfo ? ` failInfo ${Buffer.from(failInfo.valueBlock.valueHexView).toString('hex')}` : '';
    // The TSA's own words may be long; bounded so that a log line stays a line.
    throw new TimestampCheckError('NOT_GRANTED', `status ${status}${info}${text ? `: ${text.slice(0, 200)}` : ''}`);
  }
  const token = fields[1];
  if (!token) throw new TimestampCheckError('BAD_RESPONSE', 'granted reply without a token');
  return { der: Buffer.from(token.valueBeforeDecodeView), decoded: token };
}
