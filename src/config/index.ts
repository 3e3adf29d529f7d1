export * from './environment';
export * from './app.config';
export * from './mongo.config';
export * from './ca.config';
