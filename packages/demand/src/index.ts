export * from './actor.ts';
export * from './employer.ts';
export * from './order.ts';
export * from './placement.ts';
export * from './terms.ts';
