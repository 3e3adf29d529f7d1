import { Logger } from '@nestjs/common';
import { IntervalSweeper } from './interval-sweeper';

describe(IntervalSweeper.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sweeps every interval until stopped; a failed sweep is logged and the next one still runs', async () => {
    const logger = new Logger('test');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    let runs = 0;
    const sweeper = new IntervalSweeper(logger, 1000, async () => {
      if (++runs === 1) throw new TypeError('database away');
    });
    sweeper.start();
    await jest.advanceTimersByTimeAsync(2500);
    expect(runs).toBe(2);
    expect(warn).toHaveBeenCalledWith({ type: 'TypeError' }, 'Sweep failed; the next sweep will retry');
    sweeper.stop();
    await jest.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(2);
  });
});
