import { Injectable } from '@nestjs/common';
import { CaProviders } from '../ca/ca-providers';
import { NotFoundError } from '../common/errors';
import { AuthorizationStore } from './authorization.store';
import { SealImageStore } from './seal-image.store';

@Injectable()
export class SealImages {
  constructor(
    private readonly images: SealImageStore,
    private readonly authorizations: AuthorizationStore,
    private readonly providers: CaProviders,
  ) {}

  /** From storage; fetched from the vendor of the user's latest login when missing. */
  async get(userId: string): Promise<string> {
    const stored = await this.images.find(userId);
    if (stored) return stored;
    const login = await this.authorizations.latestFinished(userId);
    if (!login)
      throw new NotFoundError(`No CA user with userId ${userId}: the nurse has not logged in here`, {
        field: 'userId',
      });
    const image = await this.fetchIfMissing(login.provider, userId, login.certificate?.serialNumber);
    if (!image) throw new NotFoundError(`The CA vendor has no seal image for userId ${userId}`, { field: 'userId' });
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
