'use server';
/** The project switcher of the shell: which project the dashboard shows (the collector checks the user's role there). */
import { cookies } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { checkCsrf } from '@/lib/csrf';
import { cookieOptions, PROJECT_COOKIE } from '@/lib/session';

/** The project the dashboard shows; the collector decides what the user may do in it. */
export async function switchProject(form: FormData): Promise<void> {
  await checkCsrf(form);
  const project = String(form.get('project') ?? '');
  if (/^[a-z0-9][a-z0-9_-]{0,62}$/.test(project)) (await cookies()).set(PROJECT_COOKIE, project, await cookieOptions(365 * 24 * 3600));
  revalidatePath('/', 'layout');
  redirect('/');
}
