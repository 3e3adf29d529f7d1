export * from './domain-events';
export * from './event-bus';
export * from './events.module';
