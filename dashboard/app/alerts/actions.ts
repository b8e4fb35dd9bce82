'use server';
/**
 * Mutations from the Alerts pages. The browser posts forms to these server actions; they call the
 * collector's alerts API (the dashboard never writes anywhere else) and re-render the pages. Each
 * checks the form's CSRF token first (lib/csrf.ts); the collector checks the user's role.
 */
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { CollectorApiError } from '@/lib/api';
import { alertsApi } from '@/lib/alerts-api';
import { fieldsOf, formFieldOf, ruleFromFields } from '@/lib/alert-form';
import { checkCsrf } from '@/lib/csrf';

export interface FormState {
  error?: string;
  /** The form field the error is about, to highlight it. */
  field?: string;
  fields?: Record<string, string>;
}

export interface ActionResult {
  ok: boolean;
  message: string;
}

function failure(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function saveRule(_prev: FormState, form: FormData): Promise<FormState> {
  const fields = fieldsOf(form);
  let id: string;
  try {
    await checkCsrf(form);
    const input = ruleFromFields(fields);
    id = (fields.id ? await alertsApi.update(fields.id, input) : await alertsApi.create(input)).id;
  } catch (err) {
    if (err instanceof CollectorApiError) return { error: err.message, field: formFieldOf(err.field, fields), fields };
    return { error: failure(err), fields };
  }
  revalidatePath('/alerts');
  redirect(`/alerts/${encodeURIComponent(id)}`);
}

export async function setMuted(form: FormData): Promise<void> {
  await checkCsrf(form);
  const id = String(form.get('id') ?? '');
  await alertsApi.mute(id, form.get('muted') === 'true');
  revalidatePath('/alerts');
  revalidatePath(`/alerts/${encodeURIComponent(id)}`);
}

export async function deleteRule(form: FormData): Promise<void> {
  await checkCsrf(form);
  await alertsApi.remove(String(form.get('id') ?? ''));
  revalidatePath('/alerts');
  redirect('/alerts');
}

export async function sendTest(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    await checkCsrf(form);
    const { deliveries } = await alertsApi.test(String(form.get('id') ?? ''));
    const delivered = deliveries.filter((d) => d.status === 'delivered').length;
    const failed = deliveries.filter((d) => d.status !== 'delivered').map((d) => `${d.channelType}: ${d.lastError || d.status}`);
    revalidatePath('/alerts');
    return {
      ok: failed.length === 0,
      message: `Test delivered to ${delivered} of ${deliveries.length} channel${deliveries.length === 1 ? '' : 's'}${failed.length ? ` (${failed.join('; ')}; retrying)` : ''}`,
    };
  } catch (err) {
    return { ok: false, message: failure(err) };
  }
}
