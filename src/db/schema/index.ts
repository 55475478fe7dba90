// One table per file; this index is what drizzle-kit and the query builder see.
export * from './products.js';
export * from './subscriptions.js';
export * from './suppressions.js';
