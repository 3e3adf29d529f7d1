export * from './signed-envelope';
