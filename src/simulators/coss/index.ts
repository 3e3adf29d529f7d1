export { CossSimulator } from './coss-simulator';
export type { CossSimulatorOptions, TimeRegionUnit } from './coss-sim.options';
export type { CossSimFault, FaultKind } from './coss-sim.faults';
export type { SimNurse, NurseSpec } from './coss-sim.nurses';
export type { PhoneAction, PhoneScanOutcome } from './virtual-phone';
