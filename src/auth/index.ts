export * from './api-key.guard';
export * from './api-keyring';
export * from './api-keys.config';
export * from './require-scope.decorator';
