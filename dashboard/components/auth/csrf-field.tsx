'use client';

import { createContext, useContext, type ReactNode } from 'react';
import { CSRF_FIELD } from '@/lib/csrf-field-name';

const CsrfContext = createContext('');

/** Holds this browser's CSRF token (read from its cookie by the root layout) for every form below. */
export function CsrfProvider({ token, children }: { token: string; children: ReactNode }) {
  return <CsrfContext.Provider value={token}>{children}</CsrfContext.Provider>;
}

/** The hidden field every form posting to a server action carries (lib/csrf.ts checks it). */
export function CsrfField() {
  return <input type="hidden" name={CSRF_FIELD} value={useContext(CsrfContext)} />;
}
