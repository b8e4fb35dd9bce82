/** The dashboard's cookies, in a module without server-only imports so proxy.ts can use it too. */
export const SESSION_COOKIE = 'sightline_session';
/** The project the user looks at (not a secret: the collector checks the user's role in it). */
export const PROJECT_COOKIE = 'sightline_project';
/** The sealed single sign-on flow, from the start to the provider's redirect back (10 minutes). */
export const SSO_FLOW_COOKIE = 'sightline_sso';
/** The CSRF token of this browser (lib/csrf.ts). */
export const CSRF_COOKIE = 'sightline_csrf';
