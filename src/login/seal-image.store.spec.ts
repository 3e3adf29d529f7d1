import { randomUUID } from 'node:crypto';
import { describeStore } from '../../test/support/store-database';
import { SealImageStore } from './seal-image.store';
import { CaSealImage, CaSealImageSchema } from './schemas/ca-seal-image.schema';

describe(SealImageStore.name, () => {
  const spec = describeStore(CaSealImage.name, CaSealImageSchema, (model, bus) => new SealImageStore(model, bus));

  it('save stores one image per user and vendor; find reads it back, by vendor or any', async () => {
    const userId = `mssp-${randomUUID()}`;
    expect(await spec.store.find(userId)).toBeUndefined();
    await spec.store.save(userId, 'coss', { image: 'iVBOR1', name: 'seal' });
    const stored = await spec.events.take();
    expect(stored).toEqual([expect.objectContaining({ type: 'SealImageStored', provider: 'coss' })]);
    expect(JSON.stringify(stored)).not.toContain(userId);

    await spec.store.save(userId, 'coss', { image: 'iVBOR2' });
    expect(await spec.model.countDocuments({ userId })).toBe(1);
    expect(await spec.store.find(userId, 'coss')).toBe('iVBOR2');
    expect(await spec.store.find(userId)).toBe('iVBOR2');
    expect(await spec.store.find(userId, 'anhui')).toBeUndefined();
  });
});
