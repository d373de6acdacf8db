export * from './read-windows.ts';
export * from './schema.ts';
