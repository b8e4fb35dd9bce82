import type { ClickHouseClient } from '@clickhouse/client';
import { SPANS_TABLE } from './001-spans.js';
import { SESSION_SUMMARIES_TABLE, SESSION_SUMMARIES_VIEW, TRACE_SUMMARIES_TABLE, TRACE_SUMMARIES_VIEW } from './002-summaries.js';
import { ROLLUPS_TABLE, ROLLUPS_VIEW } from './003-rollups.js';
import { ALERT_DELIVERIES_TABLE, ALERT_RULES_TABLE, ALERT_STATES_TABLE, ALERT_TRANSITIONS_TABLE } from './004-alerts.js';
import { TRACE_SUMMARIES_ADD_MODELS, TRACE_SUMMARIES_ADD_TOOLS, TRACE_SUMMARIES_VIEW_V2 } from './006-trace-tools-models.js';
import { ROLLUPS_VIEW_UTC, SESSION_SUMMARIES_VIEW_UTC, TRACE_SUMMARIES_VIEW_UTC } from './007-utc-views.js';
import { LOGS_TABLE } from './008-logs.js';
import { JOB_LEASES_TABLE } from './010-job-leases.js';
import { AUDIT_LOG_TABLE, MEMBERSHIPS_TABLE, SESSIONS_TABLE, USERS_TABLE } from './013-users.js';
import { DRIFT_CHECKS_TABLE, DRIFT_PROGRESS_TABLE, DRIFT_SESSION_SIGNALS_TABLE, DRIFT_SIGNAL_RESULTS_TABLE } from './005-drift.js';
import {
  DRIFT_SIGNALS_ADD_COST,
  DRIFT_STAGING_ADD_COST,
  ROLLUPS_ADD_COST,
  ROLLUPS_VIEW_COST,
  SESSION_SUMMARIES_ADD_COST,
  SESSION_SUMMARIES_VIEW_COST,
  SPANS_ADD_COST,
  TRACE_SUMMARIES_ADD_COST,
  TRACE_SUMMARIES_VIEW_COST,
} from './014-cost.js';
import { CUSTOM_PRICES_TABLE } from './015-custom-prices.js';
import { SPANS_ADD_SEARCH_INDEX, SPANS_MATERIALIZE_SEARCH_INDEX } from './016-search-index.js';
import { backfillHourRollups, HOUR_ROLLUPS_TABLE } from './018-hour-rollups.js';
import { SCORES_FROM_LOGS_VIEW, SCORES_FROM_SPAN_EVENTS_VIEW, SCORES_TABLE } from './017-scores.js';
import { DRIFT_SESSION_SIGNALS_STAGING_TABLE, SPANS_ADD_INGESTED_INDEX, SPANS_MATERIALIZE_INGESTED_INDEX } from './009-drift-catch-up.js';
import { migrateToProjects } from './011-projects.js';
import { API_KEY_USAGE_TABLE, API_KEYS_TABLE, DEFAULT_PROJECT_ROW, PROJECTS_TABLE } from './012-projects-keys.js';

export interface Migration {
  version: number;
  name: string;
  /** Each statement is idempotent (IF NOT EXISTS), so a migration interrupted half-way can rerun. */
  statements: string[];
  /**
   * Steps run after the statements, for a change that statements alone cannot make rerunnable (a
   * table rebuilt and swapped): it must look at what is there and do only what is left.
   */
  run?: (client: ClickHouseClient) => Promise<void>;
}

/** Append only: never edit a released migration, add a new one. */
export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'spans', statements: [SPANS_TABLE] },
  {
    version: 2,
    name: 'trace and session summaries',
    statements: [TRACE_SUMMARIES_TABLE, TRACE_SUMMARIES_VIEW, SESSION_SUMMARIES_TABLE, SESSION_SUMMARIES_VIEW],
  },
  { version: 3, name: 'minute rollups', statements: [ROLLUPS_TABLE, ROLLUPS_VIEW] },
  { version: 4, name: 'alerts', statements: [ALERT_RULES_TABLE, ALERT_STATES_TABLE, ALERT_TRANSITIONS_TABLE, ALERT_DELIVERIES_TABLE] },
  {
    version: 5,
    name: 'drift',
    statements: [DRIFT_SESSION_SIGNALS_TABLE, DRIFT_PROGRESS_TABLE, DRIFT_CHECKS_TABLE, DRIFT_SIGNAL_RESULTS_TABLE],
  },
  {
    version: 6,
    name: 'tools and models of a trace',
    statements: [TRACE_SUMMARIES_ADD_TOOLS, TRACE_SUMMARIES_ADD_MODELS, TRACE_SUMMARIES_VIEW_V2],
  },
  {
    version: 7,
    name: 'summary days and rollup minutes in UTC',
    statements: [TRACE_SUMMARIES_VIEW_UTC, SESSION_SUMMARIES_VIEW_UTC, ROLLUPS_VIEW_UTC],
  },
  { version: 8, name: 'logs', statements: [LOGS_TABLE] },
  {
    version: 9,
    name: 'drift catch-up: ingested_at index, staging table for partition swaps',
    statements: [SPANS_ADD_INGESTED_INDEX, SPANS_MATERIALIZE_INGESTED_INDEX, DRIFT_SESSION_SIGNALS_STAGING_TABLE],
  },
  { version: 10, name: 'job leases', statements: [JOB_LEASES_TABLE] },
  {
    version: 11,
    name: 'projects: project_id leads the sorting key of every data table; existing rows belong to project default',
    statements: [],
    run: migrateToProjects,
  },
  {
    version: 12,
    name: 'projects and API keys',
    statements: [PROJECTS_TABLE, DEFAULT_PROJECT_ROW, API_KEYS_TABLE, API_KEY_USAGE_TABLE],
  },
  {
    version: 13,
    name: 'users, memberships, sessions, audit log',
    statements: [USERS_TABLE, MEMBERSHIPS_TABLE, SESSIONS_TABLE, AUDIT_LOG_TABLE],
  },
  {
    version: 14,
    name: 'cost in dollars: span costs, summed in summaries, rollups and drift signals',
    statements: [
      SPANS_ADD_COST,
      TRACE_SUMMARIES_ADD_COST,
      SESSION_SUMMARIES_ADD_COST,
      ROLLUPS_ADD_COST,
      DRIFT_SIGNALS_ADD_COST,
      DRIFT_STAGING_ADD_COST,
      TRACE_SUMMARIES_VIEW_COST,
      SESSION_SUMMARIES_VIEW_COST,
      ROLLUPS_VIEW_COST,
    ],
  },
  { version: 15, name: 'custom prices per project', statements: [CUSTOM_PRICES_TABLE] },
  {
    version: 16,
    name: 'search inside content: text index over the searchable fields of spans',
    statements: [SPANS_ADD_SEARCH_INDEX, SPANS_MATERIALIZE_SEARCH_INDEX],
  },
  {
    version: 17,
    name: 'scores and feedback, with OpenTelemetry evaluation events read from spans and log records',
    statements: [SCORES_TABLE, SCORES_FROM_SPAN_EVENTS_VIEW, SCORES_FROM_LOGS_VIEW],
  },
  {
    version: 18,
    name: 'hour rollups: the minute rollups folded into UTC hours (a view on the minute table), existing minutes backfilled',
    statements: [HOUR_ROLLUPS_TABLE],
    run: backfillHourRollups,
  },
];

/** Tables whose rows expire after the retention period, with the expression of their row time. */
export const RETENTION_TTL: ReadonlyArray<{ table: string; timeExpr: string }> = [
  { table: 'spans', timeExpr: 'toDateTime(start_time)' },
  { table: 'logs', timeExpr: 'toDateTime(timestamp)' },
  { table: 'trace_summaries', timeExpr: 'day' },
  { table: 'session_summaries', timeExpr: 'day' },
  { table: 'span_rollups_1m', timeExpr: 'minute' },
  { table: 'span_rollups_1h', timeExpr: 'hour' },
  { table: 'drift_session_signals', timeExpr: 'toDateTime(start_time)' },
  { table: 'drift_checks', timeExpr: 'toDateTime(window_end)' },
  { table: 'drift_signal_results', timeExpr: 'toDateTime(window_end)' },
  { table: 'scores', timeExpr: 'toDateTime(timestamp)' },
];
