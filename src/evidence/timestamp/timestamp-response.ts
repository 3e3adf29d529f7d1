import * as asn1js from 'asn1js';
import { pkijs } from '../../crypto/pkijs-engine';
import { TimestampCheckError } from './timestamp.types';
import { GRANTED_STATUSES } from './tsp.constants';

/** The token's own bytes out of a TimeStampResp, after checking that the TSA granted it. */
export function grantedTokenOf(body: Buffer): Buffer {
  const asn = asn1js.fromBER(body);
  if (asn.offset === -1 || asn.offset !== body.length)
    throw new TimestampCheckError('BAD_RESPONSE', 'reply is not one DER TimeStampResp');
  let response: pkijs.TimeStampResp;
  try {
    response = new pkijs.TimeStampResp({ schema: asn.result });
  } catch {
    throw new TimestampCheckError('BAD_RESPONSE', 'reply is not a TimeStampResp');
  }
  const { status, statusStrings, failInfo } = response.status;
  if (!GRANTED_STATUSES.has(status)) {
    const text = statusStrings?.map((s) => s.valueBlock.value).join('; ');
    const info = failInfo ? ` failInfo ${Buffer.from(failInfo.valueBlock.valueHexView).toString('hex')}` : '';
    // The TSA's own words may be long; bounded so that a log line stays a line.
    throw new TimestampCheckError('NOT_GRANTED', `status ${status}${info}${text ? `: ${text.slice(0, 200)}` : ''}`);
  }
  const token = (asn.result as asn1js.Sequence).valueBlock.value[1];
  if (!token) throw new TimestampCheckError('BAD_RESPONSE', 'granted reply without a token');
  return Buffer.from(token.valueBeforeDecodeView);
}
