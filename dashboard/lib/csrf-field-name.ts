/** The form field of the CSRF token (lib/csrf.ts), in a module a client component may import. */
export const CSRF_FIELD = 'csrf';
