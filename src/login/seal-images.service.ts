import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { CaProviders } from '../ca/ca-providers';
import { NotFoundError } from '../common/errors';
import { CaAuthorization } from './schemas/ca-authorization.schema';
import { CaSealImage } from './schemas/ca-seal-image.schema';

@Injectable()
export class SealImages {
  constructor(
    @InjectModel(CaSealImage.name) private readonly images: Model<CaSealImage>,
    @InjectModel(CaAuthorization.name) private readonly authorizations: Model<CaAuthorization>,
    private readonly providers: CaProviders,
  ) {}

  /** From storage; fetched from the vendor of the user's latest login when missing. */
  async get(userId: string): Promise<string> {
    const stored = await this.images.findOne({ userId }, { image: 1 }).lean();
    if (stored) return stored.image;
    const login = await this.authorizations
      .findOne({ msspId: userId, status: 'FINISH' }, { provider: 1, certificate: 1 })
      .sort({ finishedAt: -1 })
      .lean();
    if (!login)
      throw new NotFoundError(`No CA user with userId ${userId}: the nurse has not logged in here`, {
        field: 'userId',
      });
    const image = await this.fetchIfMissing(login.provider, userId, login.certificate?.serialNumber);
    if (!image) throw new NotFoundError(`The CA vendor has no seal image for userId ${userId}`, { field: 'userId' });
    return image;
  }

  async fetchIfMissing(provider: string, userId: string, certificateSerial?: string): Promise<string | undefined> {
    const stored = await this.images.findOne({ userId, provider }, { image: 1 }).lean();
    if (stored) return stored.image;
    const seal = await this.providers.get(provider).fetchSealImage(userId, certificateSerial);
    if (!seal) return undefined;
    await this.images.updateOne(
      { userId, provider },
      { $set: { image: seal.image, name: seal.name } },
      { upsert: true },
    );
    return seal.image;
  }
}
