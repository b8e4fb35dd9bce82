/**
 * Who is calling, as every route and the OTLP receivers see it once a credential has been checked.
 * Three kinds: the open local mode (loopback bind, no configuration: full rights on the default
 * project, exactly as Sightline behaved before teams existed), a project API key, and a signed-in
 * user with a role per project. What a caller may do is decided here, in one function, so that a
 * route never compares scopes or roles itself.
 */

export const DEFAULT_PROJECT_ID = 'default';

export type KeyScope = 'ingest' | 'read' | 'admin';
export type ProjectRole = 'admin' | 'member' | 'viewer';

/** What a request needs: send spans, read data, change rules and settings, administer the project. */
export type Need = 'ingest' | 'read' | 'write' | 'admin';

export type Principal =
  | { kind: 'local' }
  | {
      kind: 'key';
      keyId: string;
      projectId: string;
      scopes: readonly KeyScope[];
      /** The bootstrap key (SIGHTLINE_BOOTSTRAP_API_KEY): may also manage the instance (see allowsInstance). */
      instanceAdmin?: boolean;
    }
  | {
      kind: 'user';
      userId: string;
      email: string;
      /** Role per project id; a project missing here is invisible to the user. */
      roles: Readonly<Record<string, ProjectRole>>;
      /** May create projects and manage the instance (the first admin). */
      instanceAdmin: boolean;
    };

const KEY_GRANTS: Record<KeyScope, readonly Need[]> = {
  ingest: ['ingest'],
  read: ['read'],
  admin: ['ingest', 'read', 'write', 'admin'],
};

const ROLE_GRANTS: Record<ProjectRole, readonly Need[]> = {
  viewer: ['read'],
  member: ['read', 'write', 'ingest'],
  admin: ['ingest', 'read', 'write', 'admin'],
};

/** Whether `principal` may do `need` in `projectId`. */
export function allows(principal: Principal, projectId: string, need: Need): boolean {
  switch (principal.kind) {
    case 'local':
      return projectId === DEFAULT_PROJECT_ID;
    case 'key':
      return principal.projectId === projectId && principal.scopes.some((s) => KEY_GRANTS[s].includes(need));
    case 'user': {
      const role = principal.roles[projectId];
      return role !== undefined && ROLE_GRANTS[role].includes(need);
    }
  }
}

/**
 * Whether `principal` may manage the instance: create projects, create and revoke any project's
 * keys, see the ingest quarantine (rows of every project). The open local mode may (it is the
 * machine's owner); a project key only when it is the bootstrap key; a user when instance admin.
 * Managing a project's keys is not reading its data: `allows` still decides that.
 */
export function allowsInstance(principal: Principal): boolean {
  switch (principal.kind) {
    case 'local':
      return true;
    case 'key':
      return principal.instanceAdmin === true;
    case 'user':
      return principal.instanceAdmin;
  }
}
