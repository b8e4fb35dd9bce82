import { createRoute } from '@hono/zod-openapi';
import { COMPARE_TEXT_MAX, CompareQuery, CompareResult, ErrorBody, type CompareStep } from '@sightline/contract';
import { projectOf } from '../../auth/context.js';
import { compareSteps, totals } from '../../compare/diff.js';
import { SightlineError } from '../../errors.js';
import { readCompareSteps } from '../../storage/queries/compare-steps.js';
import { guard, guardedResponses, json, router, type ApiDeps } from './common.js';

/** The answer carries the first COMPARE_TEXT_MAX characters; the diff was judged on the whole text. */
const cut = (s: CompareStep): CompareStep => ({
  ...s,
  input: s.input.slice(0, COMPARE_TEXT_MAX),
  output: s.output.slice(0, COMPARE_TEXT_MAX),
});

export function compareRoutes({ client }: ApiDeps) {
  return router().openapi(
    createRoute({
      ...guard('read'),
      method: 'get',
      path: '/compare',
      summary: 'Two sessions or two traces side by side: both sides’ steps and their alignment, with what differs per aligned step',
      request: { query: CompareQuery },
      responses: {
        200: json(CompareResult, 'Both sides and the alignment'),
        404: json(ErrorBody, 'Side a or b is not a session (trace) of the project'),
        ...guardedResponses,
      },
    }),
    async (c) => {
      const { kind, a, b } = c.req.valid('query');
      const project = projectOf(c);
      const [sa, sb] = await Promise.all([readCompareSteps(client, project, kind, a), readCompareSteps(client, project, kind, b)]);
      if (!sa) throw new SightlineError('not_found', `${kind} ${a} not found`, { field: 'a' });
      if (!sb) throw new SightlineError('not_found', `${kind} ${b} not found`, { field: 'b' });
      const { rows, summary } = compareSteps(sa.steps, sb.steps);
      const side = (id: string, s: NonNullable<typeof sa>) => ({
        id,
        steps: s.steps.map(cut),
        totals: totals(s.steps),
        truncated: s.truncated,
      });
      const fields = rows.map((r) => ({
        ...r,
        fields: {
          ...r.fields,
          arguments: cutField(r.fields.arguments),
          output: cutField(r.fields.output),
        },
      }));
      return c.json({ kind, a: side(a, sa), b: side(b, sb), rows: fields, summary }, 200);
    },
  );
}

const cutField = <F extends { a: string | number | null; b: string | number | null; changed: boolean }>(f: F): F => ({
  ...f,
  a: typeof f.a === 'string' ? f.a.slice(0, COMPARE_TEXT_MAX) : f.a,
  b: typeof f.b === 'string' ? f.b.slice(0, COMPARE_TEXT_MAX) : f.b,
});
