'use server';
/**
 * Mutations from the Settings page: custom prices and a recompute, through the collector's cost API.
 * The collector validates and names the wrong field; the form shows it. Each checks the form's
 * CSRF token first (lib/csrf.ts).
 */
import { revalidatePath } from 'next/cache';
import { CollectorApiError } from '@/lib/api';
import { checkCsrf } from '@/lib/csrf';
import { costApi } from '@/lib/cost-api';
import { priceFromFields, recomputeFromFields } from '@/lib/price-form';

export interface PriceFormState {
  ok?: string;
  error?: string;
  field?: string;
  fields?: Record<string, string>;
}

const fieldsOf = (form: FormData) =>
  Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string').map(([k, v]) => [k, String(v).trim()]));

const failure = (err: unknown, fields: Record<string, string>): PriceFormState =>
  err instanceof CollectorApiError
    ? { error: err.message, field: err.field, fields }
    : { error: err instanceof Error ? err.message : String(err), fields };

export async function addPrice(_prev: PriceFormState, form: FormData): Promise<PriceFormState> {
  const fields = fieldsOf(form);
  try {
    await checkCsrf(form);
    const p = await costApi.createPrice(priceFromFields(fields));
    revalidatePath('/settings');
    return { ok: `Price for ${p.modelPattern} saved. Calls from now on use it; recompute to re-price past calls.` };
  } catch (err) {
    return failure(err, fields);
  }
}

export async function deletePrice(form: FormData): Promise<void> {
  await checkCsrf(form);
  await costApi.deletePrice(String(form.get('id') ?? ''));
  revalidatePath('/settings');
}

export async function recompute(_prev: PriceFormState, form: FormData): Promise<PriceFormState> {
  const fields = fieldsOf(form);
  try {
    await checkCsrf(form);
    const r = await costApi.recompute(recomputeFromFields(fields));
    revalidatePath('/');
    return { ok: `Re-priced ${r.changed} of ${r.modelCalls} model calls: spend $${r.beforeUsd.toFixed(4)} → $${r.afterUsd.toFixed(4)}.` };
  } catch (err) {
    return failure(err, fields);
  }
}
