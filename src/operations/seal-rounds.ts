import type { SealOption } from '../ca/ca.types';

/**
 * What the app saved for a seal job. Round 1 names the seal company (`{signatureCompanyCode}`), round 2 carries the
 * signature over the hash (`{signStr, signatureCompanyCode, pubCert}`); both come with status 2.
 */
export type SealValue =
  | { round: 1; signatureCompanyCode: string }
  | { round: 2; signStr: string; pubCert?: string; signatureCompanyCode?: string }
  | { round: 'invalid'; reason: string };

export function parseSealValue(value: string | null | undefined): SealValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(value ?? ''));
  } catch {
    return { round: 'invalid', reason: 'the seal value is not JSON' };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return { round: 'invalid', reason: 'the seal value is not a JSON object' };
  const fields = parsed as Record<string, unknown>;
  const company = typeof fields.signatureCompanyCode === 'string' ? fields.signatureCompanyCode : undefined;
  if (fields.signStr !== undefined) {
    if (typeof fields.signStr !== 'string' || fields.signStr === '')
      return { round: 'invalid', reason: 'signStr is not a non-empty string' };
    if (fields.pubCert !== undefined && typeof fields.pubCert !== 'string')
      return { round: 'invalid', reason: 'pubCert is not a string' };
    return { round: 2, signStr: fields.signStr, pubCert: fields.pubCert || undefined, signatureCompanyCode: company };
  }
  if (!company) return { round: 'invalid', reason: 'the seal value has neither signStr nor signatureCompanyCode' };
  return { round: 1, signatureCompanyCode: company };
}

/** The seal named `wanted` when the service offers it, else the first one; only seals that carry an image count. */
export function chooseSeal(seals: SealOption[], wanted?: string): SealOption | undefined {
  const usable = seals.filter((seal) => typeof seal.image === 'string' && seal.image !== '');
  return (wanted !== undefined ? usable.find((seal) => seal.name === wanted) : undefined) ?? usable[0];
}
