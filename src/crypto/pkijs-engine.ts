import { webcrypto } from 'crypto';
import * as pkijs from 'pkijs';

type EngineCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'];

// We do all signature maths ourselves; the engine is set only so that any pkijs crypto call never depends on globals.
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as EngineCrypto }));

export { pkijs };
