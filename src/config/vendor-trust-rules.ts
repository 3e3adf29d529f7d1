import { Logger } from '@nestjs/common';
import { loadCertificatesFromFiles } from '../crypto/certificate';
import { splitPaths } from './split-paths';

/** The organization in the subject of every simulator CA, so that production can recognise and refuse it. */
export const SIMULATOR_CA_ORGANIZATION = 'MNIS CA simulators (NOT FOR PRODUCTION)';

/** What the vendor rules read of a vendor: its name and the variables holding its URLs and its trusted roots. */
export interface VendorTrustVariables {
  name: string;
  /** Production refuses plain http in these unless ALLOW_INSECURE_VENDOR_HTTP=true. */
  urlVariables?: readonly string[];
  /** Production refuses a simulator CA among these files unless ALLOW_SIMULATOR_CA_ROOTS=true. */
  rootVariables?: readonly string[];
}

export interface TrialSwitches {
  ALLOW_INSECURE_VENDOR_HTTP?: string;
  ALLOW_SIMULATOR_CA_ROOTS?: string;
}

interface Finding {
  /** The trial switch that lets it through. */
  allowedBy: keyof TrialSwitches;
  refused: string;
  warning: string;
}

/** What the enabled vendors' settings would expose in production: plain-http URLs and simulator trust roots. */
function findings(enabled: readonly VendorTrustVariables[], vendorEnv: Record<string, unknown>): Finding[] {
  const found: Finding[] = [];
  for (const name of enabled.flatMap((vendor) => vendor.urlVariables ?? [])) {
    const url = vendorEnv[name];
    if (typeof url !== 'string' || !/^http:/i.test(url)) continue;
    found.push({
      allowedBy: 'ALLOW_INSECURE_VENDOR_HTTP',
      refused:
        `${name}=${url}: plain http is refused in production (a network observer would see the vendor traffic); ` +
        'use https, or set ALLOW_INSECURE_VENDOR_HTTP=true for a trial',
      warning:
        `ALLOW_INSECURE_VENDOR_HTTP=true: plain http to the CA vendor in production (${name}); ` +
        'a network observer sees every request and answer',
    });
  }
  for (const name of enabled.flatMap((vendor) => vendor.rootVariables ?? [])) {
    const files = simulatorCaFiles(vendorEnv[name]);
    if (files.length === 0) continue;
    found.push({
      allowedBy: 'ALLOW_SIMULATOR_CA_ROOTS',
      refused:
        `${name}=${files.join(',')}: the simulators’ test CA is refused in production (its keys are no secret); ` +
        'name the vendor’s real roots, or set ALLOW_SIMULATOR_CA_ROOTS=true for a trial',
      warning:
        `ALLOW_SIMULATOR_CA_ROOTS=true: ${name} trusts the simulators’ test CA in production; ` +
        'its signatures prove nothing',
    });
  }
  return found;
}

/** Production problems of the vendors' transport and trust, each naming its variable. */
export function vendorTrustProblems(
  env: TrialSwitches,
  enabled: readonly VendorTrustVariables[],
  vendorEnv: Record<string, unknown>,
): string[] {
  return findings(enabled, vendorEnv)
    .filter((finding) => env[finding.allowedBy] !== 'true')
    .map((finding) => finding.refused);
}

/** The warning every start logs for each trial switch that lets something through in production. */
export function warnVendorTrialSwitches(
  env: TrialSwitches,
  enabled: readonly VendorTrustVariables[],
  vendorEnv: Record<string, unknown>,
): void {
  const logger = new Logger('Configuration');
  for (const finding of findings(enabled, vendorEnv)) {
    if (env[finding.allowedBy] === 'true') logger.warn(finding.warning);
  }
}

/** The files of a trusted-roots variable that hold a simulator CA; an unreadable file is the vendor module's to report. */
function simulatorCaFiles(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return splitPaths(value).filter((path) => {
    try {
      return loadCertificatesFromFiles([path]).some((root) => root.subject.includes(SIMULATOR_CA_ORGANIZATION));
    } catch {
      return false;
    }
  });
}
