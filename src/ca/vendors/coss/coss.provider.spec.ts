import { CossProvider } from './coss.provider';

describe(CossProvider.name, () => {
  const provider = new CossProvider({} as never, {} as never, [], { pollIntervalMs: 1500 } as never);

  it('declares QR login and automatic signing only', () => {
    expect(provider.capabilities).toEqual(['qrLogin', 'autoSign']);
    expect(provider.can('encrypt')).toBe(false);
  });

  it.each([
    ['interactiveSign', () => provider.pollSign({ jobId: 'SD_1', data: Buffer.from('x') })],
    ['encrypt', () => provider.startOperation('encrypt', 'm', 't')],
    ['seal', () => provider.sealOptions('SD_1')],
    ['sealData', () => provider.sealData('1A2B')],
  ])('refuses %s with a typed 422 naming vendor and capability', async (capability, call) => {
    await expect(call()).rejects.toMatchObject({
      httpStatus: 422,
      type: 'CAPABILITY_UNSUPPORTED',
      details: { vendor: 'coss', capability },
    });
  });
});
