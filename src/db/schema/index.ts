// One table per file; this index is what drizzle-kit and the query builder see.
export * from './products.js';
export * from './subscriptions.js';
export * from './suppressions.js';
export * from './inventory-events.js';
export * from './restock-events.js';
export * from './eta-events.js';
export * from './webhook-receipts.js';
export * from './feed-state.js';
export * from './templates.js';
export * from './deliveries.js';
export * from './restock-waves.js';
export * from './eta-fanouts.js';
export * from './confirmation-tokens.js';
export * from './backorders.js';
export * from './backorder-events.js';
