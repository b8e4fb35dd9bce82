/**
 * Deprecated: the API contract lives in `@sightline/contract`. This re-export is kept only for
 * `normalize/interop.e2e.test.ts`, which is being rewritten on another branch; delete it once that
 * file imports `@sightline/contract`. Nothing else may import it.
 */
export { MetricsResponse, SessionDetail, TraceDetail, TraceList } from '@sightline/contract';
