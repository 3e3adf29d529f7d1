import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { CaLoginCounter } from './schemas/ca-login-counter.schema';

/** caLoginCounters: per-address, per-minute login counts; old minutes are swept, never left to a TTL index. */
@Injectable()
export class LoginCounterStore {
  constructor(@InjectModel(CaLoginCounter.name) private readonly counters: Model<CaLoginCounter>) {}

  /** Counts one more login from `address` in `minute`; answers the count including this one. */
  async hit(address: string, minute: Date): Promise<number> {
    const key = `${address}|${minute.toISOString()}`;
    for (let attempt = 0; ; attempt++) {
      try {
        const counter = await this.counters
          .findOneAndUpdate({ key }, { $inc: { count: 1 }, $setOnInsert: { minute } }, { upsert: true, new: true })
          .lean<CaLoginCounter>()
          .exec();
        return counter!.count;
      } catch (error) {
        // Two first hits of a minute may both try the insert; the loser increments the winner's document.
        if ((error as { code?: number }).code !== 11000 || attempt > 0) throw error;
      }
    }
  }

  /** Removes the counters of minutes before `before`; answers how many. */
  async sweep(before: Date): Promise<number> {
    const { deletedCount } = await this.counters.deleteMany({ minute: { $lt: before } });
    return deletedCount;
  }
}
