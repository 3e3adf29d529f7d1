import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import type { CrlInfo } from './crl';
import { CaCrl } from './ca-crl.schema';

/** caCrls: the bytes of every CRL a check used, once per SM3 digest; never changed once written. */
@Injectable()
export class CrlStore {
  // Digests this process has already written (or found): a check then costs no database round trip.
  private readonly kept = new Set<string>();

  constructor(@InjectModel(CaCrl.name) private readonly crls: Model<CaCrl>) {}

  /** Keeps the CRL's bytes before any record names its digest; idempotent under races (the digest is unique). */
  async keep(crl: CrlInfo): Promise<void> {
    if (this.kept.has(crl.sm3)) return;
    try {
      await this.crls.updateOne(
        { sm3: crl.sm3 },
        {
          $setOnInsert: {
            sm3: crl.sm3,
            der: crl.der.toString('base64'),
            issuer: crl.issuer,
            ...(crl.number !== undefined && { number: crl.number }),
            thisUpdate: crl.thisUpdate,
            ...(crl.nextUpdate && { nextUpdate: crl.nextUpdate }),
            keptAt: new Date(),
          },
        },
        { upsert: true },
      );
    } catch (error) {
      // Two upserts of one new digest at once: the loser's insert hits the unique index, and the bytes are there.
      if ((error as { code?: number }).code !== 11000) throw error;
    }
    this.kept.add(crl.sm3);
  }

  /** The kept DER of the CRL with this digest. */
  async bytesOf(sm3: string): Promise<Buffer | undefined> {
    const found = await this.crls.findOne({ sm3 }, { der: 1 }).lean<Pick<CaCrl, 'der'>>().exec();
    return found ? Buffer.from(found.der, 'base64') : undefined;
  }
}
