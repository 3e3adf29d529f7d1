export { TsaSimulator } from './tsa-simulator';
export type { TsaSimulatorOptions } from './tsa-simulator';
export type { TsaSimFault, TsaFaultKind } from './tsa-sim.faults';
export { SIM_TSA_POLICY } from './tsa-sim.signer';
