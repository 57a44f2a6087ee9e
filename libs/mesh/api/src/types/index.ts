export * from './meta';
export * from './networking';
export * from './security';
export * from './config';
export * from './registry';
export * from './snapshot';
export * from './secret';
export * from './mesh-config';
