import type { CaVendor } from '../../src/ca/ca-vendor';
import { CA_VENDORS } from '../../src/ca/vendors';
import { relayVendor } from '../vendors/relay/relay.vendor';

/** The shipped vendors and the test-only ones; a test-only vendor is registered by its entry here. */
export const TEST_VENDORS: readonly CaVendor[] = [...CA_VENDORS, relayVendor];
