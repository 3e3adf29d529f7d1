import { Injectable } from '@nestjs/common';
import { CaProviders } from '../ca/ca-providers';
import { NotFoundError } from '../common/errors';
import { SealImageStore } from './seal-image.store';
import { CaAuthorization } from './schemas/ca-authorization.schema';

@Injectable()
export class SealImages {
  constructor(
    private readonly images: SealImageStore,
    private readonly providers: CaProviders,
  ) {}

  /** The seal image of a logged-in nurse: from storage, fetched from the vendor of her login when missing. */
  async get(login: CaAuthorization): Promise<string> {
    const userId = login.msspId!;
    const stored = await this.images.find(userId);
    if (stored) return stored;
    const image = await this.fetchIfMissing(login.provider, userId, login.certificate?.serialNumber);
    if (!image) throw new NotFoundError('The CA vendor has no seal image for this user', { field: 'userId' });
    return image;
  }

  async fetchIfMissing(provider: string, userId: string, certificateSerial?: string): Promise<string | undefined> {
    const stored = await this.images.find(userId, provider);
    if (stored) return stored;
    const seal = await this.providers.get(provider).fetchSealImage(userId, certificateSerial);
    if (!seal) return undefined;
    await this.images.save(userId, provider, seal);
    return seal.image;
  }
}
