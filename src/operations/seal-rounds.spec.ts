import type { SealOption } from '../ca/ca.types';
import { chooseSeal, parseSealValue } from './seal-rounds';

describe(parseSealValue.name, () => {
  it('reads round 1: the seal company code without a signature', () => {
    expect(parseSealValue('{"signatureCompanyCode":"SIM-SEAL-CO"}')).toEqual({
      round: 1,
      signatureCompanyCode: 'SIM-SEAL-CO',
    });
  });

  it('reads round 2: the signature, its certificate and the company code', () => {
    expect(parseSealValue(JSON.stringify({ signStr: 'MIIB', signatureCompanyCode: 'CO', pubCert: 'MIIC' }))).toEqual({
      round: 2,
      signStr: 'MIIB',
      pubCert: 'MIIC',
      signatureCompanyCode: 'CO',
    });
  });

  it('reads round 2 without pubCert (the p7 may carry the certificate)', () => {
    expect(parseSealValue('{"signStr":"MIIB"}')).toEqual({
      round: 2,
      signStr: 'MIIB',
      pubCert: undefined,
      signatureCompanyCode: undefined,
    });
  });

  it.each([
    ['null', null],
    ['not JSON', 'MIIB...'],
    ['a JSON array', '["a"]'],
    ['a JSON string', '"x"'],
    ['an empty object', '{}'],
    ['an empty signStr', '{"signStr":""}'],
    ['a numeric signStr', '{"signStr":1}'],
    ['a numeric pubCert', '{"signStr":"a","pubCert":2}'],
  ])('calls %s invalid', (_name, value) => {
    expect(parseSealValue(value).round).toBe('invalid');
  });
});

describe(chooseSeal.name, () => {
  const seal = (name: string, image = `img-${name}`): SealOption => ({ name, image });
  const seals = [seal('张护士'), seal('护理专用章')];

  it('takes the seal asked for by name', () => expect(chooseSeal(seals, '护理专用章')?.name).toBe('护理专用章'));
  it('takes the first seal when no name is given', () => expect(chooseSeal(seals)?.name).toBe('张护士'));
  it('takes the first seal when the named one is not offered', () =>
    expect(chooseSeal(seals, '公章')?.name).toBe('张护士'));
  it('skips seals without an image', () =>
    expect(chooseSeal([seal('empty', ''), seal('ok')], 'empty')?.name).toBe('ok'));
  it('answers undefined when there is no usable seal', () => expect(chooseSeal([])).toBeUndefined());
});
