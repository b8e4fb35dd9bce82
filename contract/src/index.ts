/**
 * @sightline/contract: the zod schemas of the Sightline collector's HTTP API and the types they
 * infer. The collector validates requests and builds responses with them, the dashboard parses
 * responses with them. zod is the only dependency, so this package loads in any runtime, browser
 * bundles included.
 */
export * from './common.js';
export * from './query.js';
export * from './health.js';
export * from './search.js';
export * from './alerts.js';
export * from './drift.js';
export * from './cost.js';
export * from './projects.js';
export * from './auth.js';
export * from './scores.js';
export * from './compare.js';
export * from './export.js';
