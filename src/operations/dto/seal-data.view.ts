import type { SealData } from '../../ca/ca.types';

/** The user and seal images of a certificate serial, as the vendor's sealData capability answers them. */
export type SealDataView = SealData;
