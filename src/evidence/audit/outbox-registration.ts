import type { Provider, Type } from '@nestjs/common';
import { AuditOutboxDrain, AuditOutboxSource } from './audit-outbox.drain';

/**
 * A provider that hands a store's outbox sources to the drain when the module is built, before the drain's start-up
 * run (the recovery) at bootstrap. Put it beside the store in the store's own module, which imports AuditModule.
 */
export function auditOutboxOf<T>(store: Type<T>, sources: (store: T) => AuditOutboxSource[]): Provider {
  return {
    provide: `AUDIT_OUTBOX:${store.name}`,
    inject: [store, AuditOutboxDrain],
    useFactory: (instance: T, drain: AuditOutboxDrain) => {
      for (const source of sources(instance)) drain.register(source);
      return true;
    },
  };
}
