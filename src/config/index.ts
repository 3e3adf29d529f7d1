export * from './environment';
export * from './app.config';
export * from './mongo.config';
export * from './ca.config';
export * from './coss.config';
export * from './anhui.config';
