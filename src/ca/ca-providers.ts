import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CapabilityUnsupportedError, RequestValidationError } from '../common/errors';
import { caConfig, ProviderName, vendorEnabled } from '../config';
import { CaProvider } from './ca-provider';
import type { Capability } from './ca.types';

export const ALL_CA_PROVIDERS = 'ALL_CA_PROVIDERS';

/** The enabled vendors by name; authorizations remember theirs, and every later call is routed by it. */
@Injectable()
export class CaProviders {
  private readonly enabled: Map<ProviderName, CaProvider>;

  constructor(
    @Inject(ALL_CA_PROVIDERS) private readonly all: CaProvider[],
    @Inject(caConfig.KEY) private readonly config: ConfigType<typeof caConfig>,
  ) {
    this.enabled = new Map(all.filter((p) => vendorEnabled(config, p.name)).map((p) => [p.name, p]));
  }

  get default(): CaProvider {
    return this.get(this.config.defaultProvider ?? this.names()[0] ?? '');
  }

  names(): ProviderName[] {
    return [...this.enabled.keys()];
  }

  /** The enabled vendors that can do `capability` (the OpenAPI document lists them as the `provider` enum). */
  namesThatCan(capability: Capability): ProviderName[] {
    return [...this.enabled.values()].filter((p) => p.can(capability)).map((p) => p.name);
  }

  /** Also for vendors no longer enabled: their stored signatures must stay checkable. */
  trustedRoots(name: string) {
    return this.all.find((p) => p.name === name)?.trustedRoots ?? [];
  }

  get(name: string | undefined): CaProvider {
    if (name === undefined) return this.default;
    const provider = this.enabled.get(name);
    if (!provider) {
      throw new RequestValidationError([
        { field: 'provider', problems: [`provider must be one of: ${this.names().join(', ')}`] },
      ]);
    }
    return provider;
  }

  /**
   * The provider that does `capability`: the one named, refused with 422 when it cannot, or else the first enabled one
   * that can.
   */
  able(capability: Capability, name?: string): CaProvider {
    if (name !== undefined) {
      const provider = this.get(name);
      if (!provider.can(capability)) throw new CapabilityUnsupportedError(provider.name, capability);
      return provider;
    }
    const provider = [...this.enabled.values()].find((p) => p.can(capability));
    if (!provider) {
      throw new RequestValidationError([
        { field: 'provider', problems: [`no enabled provider (CA_PROVIDERS) can ${capability}`] },
      ]);
    }
    return provider;
  }
}
