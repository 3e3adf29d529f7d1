import { isEngineIndexRace, retryEngineRace } from './engine-race';

describe(retryEngineRace.name, () => {
  const raceError = () => Object.assign(new Error('Unknown error: null'), { code: 8 });

  it('runs the operation again after the engine index race, and returns its result', async () => {
    const operation = jest.fn().mockRejectedValueOnce(raceError()).mockResolvedValueOnce('done');
    await expect(retryEngineRace(operation, 5, 1)).resolves.toBe('done');
    expect(operation).toHaveBeenCalledTimes(2);
  });

  it('gives up after the given number of attempts', async () => {
    const operation = jest.fn().mockRejectedValue(raceError());
    await expect(retryEngineRace(operation, 3, 1)).rejects.toThrow('Unknown error: null');
    expect(operation).toHaveBeenCalledTimes(3);
  });

  it('never retries any other error', async () => {
    const duplicate = Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
    const operation = jest.fn().mockRejectedValue(duplicate);
    await expect(retryEngineRace(operation, 5, 1)).rejects.toBe(duplicate);
    expect(operation).toHaveBeenCalledTimes(1);
    expect(isEngineIndexRace(new Error('Unknown error: something'))).toBe(false);
  });
});
