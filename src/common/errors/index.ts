export * from './database.errors';
export * from './gateway.errors';
export * from './vendor.errors';
export * from './messages';
export * from './error-types';
