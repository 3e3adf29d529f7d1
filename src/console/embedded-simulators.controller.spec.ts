import { NotFoundError } from '../common/errors';
import { EmbeddedSimulatorsController } from './embedded-simulators.controller';

describe(EmbeddedSimulatorsController.name, () => {
  it('without the embedded simulators (production) reports none and forwards no scan', async () => {
    const controller = new EmbeddedSimulatorsController(undefined);
    expect(controller.simulators()).toEqual({ simulators: { coss: false, anhui: false } });
    await expect(
      controller.scan({ vendor: 'coss' }, { qrCode: '{"o":"x"}', user: 'N001' }, {} as never),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reports only the simulators that run in-process', () => {
    const controller = new EmbeddedSimulatorsController({ anhui: { baseUrl: 'http://127.0.0.1:1' } });
    expect(controller.simulators()).toEqual({ simulators: { coss: false, anhui: true } });
  });
});
