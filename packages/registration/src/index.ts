export * from './calendar.ts';
export * from './damm.ts';
export * from './digits.ts';
export * from './messages.ts';
export * from './registration-number.ts';
export * from './status.ts';
export * from './window.ts';
export * from './worker.ts';
