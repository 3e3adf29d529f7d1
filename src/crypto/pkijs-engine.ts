import { webcrypto } from 'crypto';
import * as pkijs from 'pkijs';

type EngineCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'];

// pkijs looks up a global engine even for some encodings; Node has no `self.crypto` global for it to find.
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as EngineCrypto }));

export { pkijs };
