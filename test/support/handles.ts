import { secretHash } from '../../src/common/secrets/per-login-secret';

/** The stored-document filter of the login, signing job or operation a PC holds this handle of. */
export const byHandle = (handle: string) => ({ handleHash: secretHash(handle) });
