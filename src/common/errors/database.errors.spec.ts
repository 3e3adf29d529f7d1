import mongoose from 'mongoose';
import { render } from './error-envelope.filter';
import { isDatabaseUnavailable } from './database.errors';

const { mongo } = mongoose;
// What the driver throws at requests in flight when its monitor times out; not exported by the driver.
const { PoolClearedOnNetworkError } = require('mongodb/lib/cmap/errors') as {
  PoolClearedOnNetworkError: new (pool: unknown, cause: Error) => Error;
};

describe('isDatabaseUnavailable', () => {
  it.each([
    ['server selection', new mongo.MongoServerSelectionError('Server selection timed out after 2000 ms', {} as never)],
    ['socket timeout', new mongo.MongoNetworkTimeoutError('connection 3 to 127.0.0.1:27017 timed out')],
    ['connection reset', new mongo.MongoNetworkError('connection 3 to 127.0.0.1:27017 closed')],
    [
      'a pool cleared by the monitor',
      new PoolClearedOnNetworkError({ address: '127.0.0.1:27017' }, new mongo.MongoNetworkTimeoutError('timed out')),
    ],
    ['topology closed', new mongo.MongoTopologyClosedError()],
    ['not connected', new mongo.MongoNotConnectedError('Client must be connected before running operations')],
    ['shutting down', new mongo.MongoServerError({ message: 'shutdown in progress', code: 91 })],
    [
      'mongoose buffering',
      new mongoose.Error('Operation `caExtendedData.findOne()` buffering timed out after 10000ms'),
    ],
  ])('recognises %s as 503 DATABASE_UNAVAILABLE', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(render(error)).toEqual({
      status: 503,
      message: 'The database is not answering; try again shortly',
      error: { type: 'DATABASE_UNAVAILABLE', cause: error.name },
    });
  });

  it.each([
    ['a duplicate key', new mongo.MongoServerError({ message: 'E11000 duplicate key error', code: 11000 })],
    ['a bad query', new mongo.MongoServerError({ message: 'unknown operator: $bad', code: 2 })],
    ['a cast error', new mongoose.Error.CastError('ObjectId', 'nope', '_id')],
    ['a plain error', new Error('timed out')],
    ['not an error', { name: 'MongoNetworkError' }],
  ])('leaves %s alone', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(render(error).status).not.toBe(503);
  });
});
