import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  DriftAgents,
  DriftCheckResult,
  DriftCompareQuery,
  DriftHistory,
  DriftHistoryQuery,
  DriftReportAnswer,
  DriftReportQuery,
  ErrorBody,
} from '@sightline/contract';
import { projectOf } from '../../auth/context.js';
import type { DriftEngine } from '../../drift/engine.js';
import { SCORE_SIGNAL_PREFIX, SIGNAL_NAMES, signalDef } from '../../drift/signals.js';
import { SightlineError } from '../../errors.js';
import type { LeaseGuard } from '../../jobs/lease.js';
import { guard, guardedResponses, json, router } from './common.js';

const DAY_MS = 24 * 3_600_000;

function checkSignal(signal: string | undefined): void {
  if (signal !== undefined && signalDef(signal) === undefined) {
    throw new SightlineError(
      'invalid_parameter',
      `signal must be ${SCORE_SIGNAL_PREFIX}<score name> or one of ${SIGNAL_NAMES.join(', ')}`,
      {
        field: 'signal',
      },
    );
  }
}

/** `lease`: the drift job's lease, when several collectors may share the database (only its holder runs checks). */
export function driftRoutes({ drift, lease }: { drift: DriftEngine; lease?: LeaseGuard | undefined }) {
  return router()
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/drift/agents',
        summary: 'Agents with sessions in the last 30 days, their latest drift verdict and releases',
        responses: { 200: json(DriftAgents, 'Agents'), ...guardedResponses },
      }),
      async (c) => c.json(await drift.agents(projectOf(c)), 200),
    )
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/drift/report',
        summary: 'Drift report of one agent: current window vs a trailing, release-pinned or explicit baseline',
        request: { query: DriftReportQuery },
        responses: { 200: json(DriftReportAnswer, 'The report, every verdict explained, and how fresh its data is'), ...guardedResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        checkSignal(q.signal);
        return c.json(await drift.report(projectOf(c), q), 200);
      },
    )
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/drift/compare',
        summary: 'Compare two releases (A = baseline, B = current) or two time ranges of one agent',
        request: { query: DriftCompareQuery },
        responses: { 200: json(DriftReportAnswer, 'The comparison, and how fresh its data is'), ...guardedResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        checkSignal(q.signal);
        return c.json(await drift.compare(projectOf(c), q), 200);
      },
    )
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/drift/history',
        summary: 'Stored hourly checks of one agent: effect size per signal and check (heatmap) and verdicts',
        request: { query: DriftHistoryQuery },
        responses: { 200: json(DriftHistory, 'History'), ...guardedResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const to = q.to ?? Date.now() + 1;
        return c.json(await drift.history(projectOf(c), q.agent, q.from ?? to - 7 * DAY_MS, to), 200);
      },
    )
    .openapi(
      createRoute({
        ...guard('write'),
        method: 'post',
        path: '/drift/check',
        summary:
          "Run the project's due hourly drift checks for every agent now (recheckHours: redo the last N hours, e.g. after a backfill)",
        request: { query: z.object({ recheckHours: z.coerce.number().int().min(1).max(168).optional() }) },
        responses: {
          200: json(DriftCheckResult, 'The reports of the newest check'),
          503: json(ErrorBody, 'Another collector on this database runs the drift checks: ask it'),
          ...guardedResponses,
        },
      }),
      async (c) => {
        if (lease && !lease.holds())
          throw new SightlineError('unavailable', 'another collector on this database holds the drift lease and runs the checks');
        return c.json(await drift.checkDueFor(projectOf(c), Date.now(), { recheckHours: c.req.valid('query').recheckHours }), 200);
      },
    );
}
