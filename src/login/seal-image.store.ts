import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import type { SealImage } from '../ca/ca.types';
import { EventBus } from '../events';
import { CaSealImage } from './schemas/ca-seal-image.schema';

/** caSealImages: one image per user and vendor, stored the first time the vendor gives one. */
@Injectable()
export class SealImageStore {
  constructor(
    @InjectModel(CaSealImage.name) private readonly images: Model<CaSealImage>,
    private readonly events: EventBus,
  ) {}

  /** The stored image (base64 PNG) of the user, of any vendor unless one is named. */
  async find(userId: string, provider?: string): Promise<string | undefined> {
    const stored = await this.images
      .findOne({ userId, ...(provider && { provider }) }, { image: 1 })
      .lean<Pick<CaSealImage, 'image'>>()
      .exec();
    return stored?.image;
  }

  /** An upsert on the unique (userId, provider) key: fetching twice stores one image. */
  async save(userId: string, provider: string, seal: SealImage): Promise<void> {
    await this.images.updateOne(
      { userId, provider },
      { $set: { image: seal.image, name: seal.name } },
      { upsert: true },
    );
    this.events.emit({ type: 'SealImageStored', at: new Date(), provider });
  }
}
