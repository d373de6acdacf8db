export * from './keys.ts';
export * from './middleware.ts';
export * from './mint.ts';
export * from './principal.ts';
export * from './verify.ts';
