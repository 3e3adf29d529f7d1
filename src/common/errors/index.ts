export * from './gateway.errors';
export * from './vendor.errors';
