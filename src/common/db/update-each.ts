import type { FilterQuery, Model, UpdateQuery } from 'mongoose';

/**
 * A sweep as a series of single-document transitions: each matching document is moved by its own conditional update
 * (which must make it stop matching), so that the caller can report every change it made and only those.
 */
export async function updateEach<T>(
  model: Model<T>,
  filter: FilterQuery<T>,
  update: UpdateQuery<T>,
  moved: (document: T) => void,
): Promise<number> {
  let count = 0;
  for (;;) {
    const document = await model.findOneAndUpdate(filter, update, { new: true }).lean<T>().exec();
    if (!document) return count;
    count++;
    moved(document as T);
  }
}
