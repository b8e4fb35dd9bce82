import { describe, expect, it } from 'vitest';
import { administers, pickProject } from './account';

const projects = [
  { id: 'alpha', role: 'viewer' as const },
  { id: 'default', role: 'admin' as const },
  { id: 'zeta', role: 'member' as const },
];

describe('the project in view', () => {
  it("is the user's choice when they have a role there", () => {
    expect(pickProject(projects, 'zeta')).toEqual({ id: 'zeta', role: 'member' });
  });

  it('falls back to default, then to the first, when the choice is not theirs (or none was made)', () => {
    expect(pickProject(projects, 'someone-elses')?.id).toBe('default');
    expect(pickProject(projects, undefined)?.id).toBe('default');
    expect(pickProject([projects[0]!, projects[2]!], 'gone')?.id).toBe('alpha');
    expect(pickProject([], 'default')).toBeUndefined();
  });
});

describe('who administers a project', () => {
  const user = (instanceAdmin: boolean) => ({ id: 'u1', email: 'a@example.com', instanceAdmin });

  it('is its admin, not a member or viewer of it, nor an admin of another project', () => {
    expect(administers({ projects, user: user(false) }, 'default')).toBe(true);
    expect(administers({ projects, user: user(false) }, 'zeta')).toBe(false);
    expect(administers({ projects, user: user(false) }, 'alpha')).toBe(false);
    expect(administers({ projects, user: user(false) }, 'elsewhere')).toBe(false);
  });

  it('is also an instance administrator, in any project', () => {
    expect(administers({ projects: [], user: user(true) }, 'elsewhere')).toBe(true);
  });
});
