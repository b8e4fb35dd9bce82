/**
 * Scores and feedback: create (one or a batch), list for a trace, session, name or time range, and
 * the per-name summary the overview charts. Creating needs `ingest`: the same key an application
 * sends its spans with can send its users' feedback.
 */
import { createRoute } from '@hono/zod-openapi';
import { ErrorBody, ScoreList, ScoreListQuery, ScoresCreated, ScoresInput, ScoreSummary, ScoreSummaryQuery } from '@sightline/contract';
import { projectOf } from '../../auth/context.js';
import { insertScores, listScores, scoreSummary } from '../../storage/queries/scores.js';
import { guard, guardedResponses, json, router, type ApiDeps } from './common.js';
import { jsonBodyChecks } from './json-body.js';

/** 1,000 scores with comments of a few hundred bytes. */
const MAX_BODY_BYTES = 1024 * 1024;

export function scoreRoutes({ client }: ApiDeps) {
  const app = router();
  app.post('/scores', jsonBodyChecks(app, '/scores', MAX_BODY_BYTES));
  return app
    .openapi(
      createRoute({
        ...guard('ingest'),
        method: 'post',
        path: '/scores',
        summary: 'Score a trace, a span or a session (user feedback, human review, an evaluator); one score or { scores: [...] }',
        request: { body: { content: { 'application/json': { schema: ScoresInput } }, required: true } },
        responses: {
          201: json(ScoresCreated, 'The ids of the stored scores, in order'),
          413: json(ErrorBody, `The body is over ${MAX_BODY_BYTES} bytes (code payload_too_large)`),
          415: json(ErrorBody, 'The content type is not application/json (code unsupported_media_type)'),
          ...guardedResponses,
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const scores = 'scores' in body ? body.scores : [body];
        return c.json({ ids: await insertScores(client, projectOf(c), scores) }, 201);
      },
    )
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/scores',
        summary: 'Scores of a trace or a session (with the scores of its traces), by name, source or time; newest first',
        request: { query: ScoreListQuery },
        responses: { 200: json(ScoreList, 'The scores'), ...guardedResponses },
      }),
      async (c) => c.json({ scores: await listScores(client, projectOf(c), c.req.valid('query')) }, 200),
    )
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/scores/summary',
        summary: 'Per score name over the range: count, mean, mean per time bucket, most frequent labels',
        request: { query: ScoreSummaryQuery },
        responses: { 200: json(ScoreSummary, 'Score series'), ...guardedResponses },
      }),
      async (c) => c.json(await scoreSummary(client, projectOf(c), c.req.valid('query')), 200),
    );
}
