import type { FilterQuery, Model } from 'mongoose';

/**
 * Takes the right to ask the vendor about one job now, atomically: only the caller that moves `nextPollAt` forward
 * gets the document back; every other caller (any instance, any PC) reads the stored state until the interval passes.
 */
export async function takePollLease<T>(
  model: Model<T>,
  filter: FilterQuery<T>,
  intervalMs: number,
  current: { nextPollAt?: Date | null },
): Promise<T | null> {
  const now = new Date();
  // The state just read says another caller holds the lease: no write needed to learn that.
  if (current.nextPollAt && current.nextPollAt > now) return null;
  return model
    .findOneAndUpdate(
      { ...filter, $or: [{ nextPollAt: null }, { nextPollAt: { $lte: now } }] } as FilterQuery<T>,
      { $set: { nextPollAt: new Date(now.getTime() + intervalMs) } },
      { new: true },
    )
    .lean<T>()
    .exec() as Promise<T | null>;
}
