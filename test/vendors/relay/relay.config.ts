import { registerAs } from '@nestjs/config';
import { IsOptional, IsUrl } from 'class-validator';
import { parseVariables, requiredInProduction, URL_OPTIONS } from '../../../src/config/environment';

export const RELAY_VENDOR = 'relay';

export class RelayEnvironment {
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  RELAY_BASE_URL?: string;
}

export function relayProductionProblems(env: RelayEnvironment): string[] {
  return requiredInProduction({ ...env }, 'RELAY_BASE_URL', 'the relay has no embedded simulator');
}

export const relayConfig = registerAs(RELAY_VENDOR, () => {
  const env = parseVariables(RelayEnvironment, process.env);
  return { baseUrl: env.RELAY_BASE_URL ?? `http://${RELAY_VENDOR}-disabled.invalid`, timeoutMs: 2000 };
});
