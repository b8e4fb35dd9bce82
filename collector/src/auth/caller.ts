/**
 * Who is calling and in which project, for every transport (the /api routes, OTLP/HTTP, OTLP/gRPC).
 *
 * The `Authorization` header (gRPC: metadata) is turned into a Principal by resolvers, tried in
 * order: project API keys (key-resolver.ts) here, and whatever else is added with `use` (signed-in
 * users' session tokens) without touching this file. A resolver returns undefined when the header
 * is not of its scheme, and `invalid` when it is but the credential is wrong (unknown, revoked,
 * expired): a wrong credential is never taken for no credential.
 *
 * With no credential of any known scheme, the mode decides: `open` (bound to loopback, nothing
 * configured) is the open local mode of the two-command start, full rights on the default
 * project; `required` (any other bind address, or SIGHTLINE_AUTH=required) answers 401.
 */
import { DEFAULT_PROJECT, PROJECT_HEADER, ProjectIdParam } from '@sightline/contract';
import { SightlineError } from '../errors.js';
import { allows, type Need, type Principal } from './principal.js';

/** One credential scheme: the principal of an Authorization header, `invalid`, or undefined when the scheme is not its own. */
export type CredentialResolver = (authorization: string, path?: string) => Promise<Principal | 'invalid' | undefined>;

export type CallerMode = 'open' | 'required';

/** A request's credentials as every transport presents them. */
export interface CallerRequest {
  authorization: string | undefined;
  /** The X-Sightline-Project header (or `project` query parameter), when sent. */
  project: string | undefined;
  /** The request path: the Langfuse receiver takes Langfuse's Basic pair. */
  path: string;
}

export function unauthorized(message: string): SightlineError {
  return new SightlineError('unauthorized', message, { field: 'authorization' });
}

export function forbidden(message: string, field?: string): SightlineError {
  return new SightlineError('forbidden', message, field ? { field } : {});
}

export class RequestAuth {
  private readonly resolvers: CredentialResolver[];

  constructor(
    readonly mode: CallerMode,
    resolvers: CredentialResolver[] = [],
  ) {
    this.resolvers = [...resolvers];
  }

  /** Adds a credential scheme (e.g. signed-in users' session tokens), tried after the ones before. */
  use(resolver: CredentialResolver): void {
    this.resolvers.push(resolver);
  }

  /** The caller; throws `unauthorized` (401) when the credential is wrong, or absent where required. */
  async principal(authorization: string | undefined, path: string): Promise<Principal> {
    if (authorization !== undefined && authorization.trim() !== '') {
      for (const resolve of this.resolvers) {
        const p = await resolve(authorization, path);
        if (p === 'invalid') throw unauthorized('the credential is unknown, revoked or expired');
        if (p) return p;
      }
      // A scheme nobody here knows (a Langfuse SDK still sending its old pair) is no credential.
    }
    if (this.mode === 'open') return { kind: 'local' };
    throw unauthorized('credentials required: send Authorization: Bearer <API key> (see "Teams and keys" in the README)');
  }

  /**
   * The project a request acts in: a key's own (naming another one is refused), or for the local
   * mode and users the one named, else the default project (for a user without a role there, their
   * first project). Whether the caller may act there is
   * checked per route (`check`, or the route guards of middleware.ts).
   */
  projectOf(principal: Principal, requested: string | undefined): string {
    if (principal.kind === 'key') {
      if (requested !== undefined && requested !== principal.projectId) {
        throw forbidden(`this key belongs to another project than ${requested}`, PROJECT_HEADER);
      }
      return principal.projectId;
    }
    if (requested !== undefined) return requested;
    // A user with no role in the default project: their first project, rather than a certain 403.
    if (principal.kind === 'user' && principal.roles[DEFAULT_PROJECT] === undefined) {
      return Object.keys(principal.roles).sort()[0] ?? DEFAULT_PROJECT;
    }
    return DEFAULT_PROJECT;
  }

  /** Throws `forbidden` (403) unless `principal` may do `need` in `projectId`. */
  check(principal: Principal, projectId: string, need: Need): void {
    if (!allows(principal, projectId, need)) throw forbidden(`not allowed to ${need} in project ${projectId}`);
  }

  /** For the OTLP receivers: the project a request's spans and logs go to, once allowed to ingest there. */
  async ingestProject(req: CallerRequest): Promise<string> {
    const principal = await this.principal(req.authorization, req.path);
    const projectId = this.projectOf(principal, requestedProject(req.project));
    this.check(principal, projectId, 'ingest');
    return projectId;
  }
}

/** A project named by a header or parameter, checked: a malformed one is a 400 naming where it came from. */
export function requestedProject(value: string | undefined, field = PROJECT_HEADER): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = ProjectIdParam.shape.id.safeParse(value.trim());
  if (!parsed.success) throw new SightlineError('invalid_parameter', `${field}: not a project id`, { field });
  return parsed.data;
}
