import type { FilterQuery, Model } from 'mongoose';

/**
 * Takes the right to ask the vendor about one job now, atomically: only the caller that moves `nextPollAt` forward
 * gets the document back; every other caller (any instance, any PC) reads the stored state until the interval passes.
 */
export function takePollLease<T>(model: Model<T>, filter: FilterQuery<T>, intervalMs: number): Promise<T | null> {
  const now = new Date();
  return model
    .findOneAndUpdate(
      { ...filter, $or: [{ nextPollAt: null }, { nextPollAt: { $lte: now } }] } as FilterQuery<T>,
      { $set: { nextPollAt: new Date(now.getTime() + intervalMs) } },
      { new: true },
    )
    .lean<T>()
    .exec() as Promise<T | null>;
}
