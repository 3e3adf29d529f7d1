import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { EventBus } from '../events';
import { recordEvents, startStoreDatabase, StoreDatabase } from '../../test/support/store-database';
import { SealImageStore } from './seal-image.store';
import { CaSealImage, CaSealImageSchema } from './schemas/ca-seal-image.schema';

describe(SealImageStore.name, () => {
  let db: StoreDatabase;
  let model: Model<CaSealImage>;
  let store: SealImageStore;
  let events: ReturnType<typeof recordEvents>;

  beforeAll(async () => {
    db = await startStoreDatabase();
    model = await db.model(CaSealImage.name, CaSealImageSchema);
  });
  afterAll(() => db?.close());
  beforeEach(() => {
    const bus = new EventBus();
    store = new SealImageStore(model, bus);
    events = recordEvents(bus);
  });

  it('save stores one image per user and vendor; find reads it back, by vendor or any', async () => {
    const userId = `mssp-${randomUUID()}`;
    expect(await store.find(userId)).toBeUndefined();
    await store.save(userId, 'coss', { image: 'iVBOR1', name: 'seal' });
    const stored = await events.take();
    expect(stored).toEqual([expect.objectContaining({ type: 'SealImageStored', provider: 'coss' })]);
    expect(JSON.stringify(stored)).not.toContain(userId);

    await store.save(userId, 'coss', { image: 'iVBOR2' });
    expect(await model.countDocuments({ userId })).toBe(1);
    expect(await store.find(userId, 'coss')).toBe('iVBOR2');
    expect(await store.find(userId)).toBe('iVBOR2');
    expect(await store.find(userId, 'anhui')).toBeUndefined();
  });
});
