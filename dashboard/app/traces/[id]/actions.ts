'use server';
/**
 * The trace view's review form: a human_review score of the trace, through the collector's scores
 * API with the signed-in user's rights (a viewer gets the collector's 403, shown in the form).
 * Checks the form's CSRF token first (lib/csrf.ts), like every dashboard mutation.
 */
import { revalidatePath } from 'next/cache';
import { CollectorApiError } from '@/lib/api';
import { checkCsrf } from '@/lib/csrf';
import { scoresApi } from '@/lib/scores-api';
import { scoreFormFieldOf, ScoreFormError, scoreFromFields } from '@/lib/scores';

export interface ScoreFormState {
  ok?: string;
  error?: string;
  /** The form field the error is about, to mark it. */
  field?: string;
  fields?: Record<string, string>;
}

const TRACE_ID = /^[0-9a-f]{32}$/;

export async function addScore(_prev: ScoreFormState, form: FormData): Promise<ScoreFormState> {
  const fields = Object.fromEntries(
    [...form.entries()].filter(([k, v]) => typeof v === 'string' && !k.startsWith('$')).map(([k, v]) => [k, String(v)]),
  );
  try {
    await checkCsrf(form);
    const traceId = fields.traceId ?? '';
    if (!TRACE_ID.test(traceId)) throw new ScoreFormError('', 'This form is not on a trace: reload the page.');
    const input = scoreFromFields(fields, { traceId });
    await scoresApi.create(input);
    revalidatePath(`/traces/${traceId}`);
    return { ok: `Score ${input.name} saved.` };
  } catch (err) {
    if (err instanceof ScoreFormError) return { error: err.message, field: err.field || undefined, fields };
    if (err instanceof CollectorApiError) {
      const message = err.status === 403 ? `Your role in this project cannot add scores (${err.message}).` : err.message;
      return { error: message, field: scoreFormFieldOf(err.field), fields };
    }
    return { error: err instanceof Error ? err.message : String(err), fields };
  }
}
