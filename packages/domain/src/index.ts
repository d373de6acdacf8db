export * from './canonical-json.ts';
export * from './digest.ts';
export * from './errors.ts';
export * from './local-date.ts';
export * from './money.ts';
export * from './roles.ts';
export * from './scheme.ts';
