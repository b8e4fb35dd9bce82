'use client';

import { useActionState } from 'react';
import type { Member, ProjectRole } from '@sightline/contract';
import { addMember, changeRole, removeMember, type SettingsState } from '@/app/settings/members/actions';
import { CsrfField } from '@/components/auth/csrf-field';

const ROLES: Array<[ProjectRole, string]> = [
  ['viewer', 'Viewer: reads'],
  ['member', 'Member: reads, edits alert rules'],
  ['admin', 'Admin: also members, keys, audit log'],
];

function Outcome({ state }: { state: SettingsState }) {
  if (state.error)
    return (
      <span role="alert" style={{ color: 'var(--error)' }}>
        {state.error}
      </span>
    );
  return state.ok ? <span role="status">{state.ok}</span> : null;
}

export function AddMemberForm({ project }: { project: string }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(addMember, {});
  return (
    <form action={action} aria-label="Add a member" className="toolbar" style={{ padding: 12, flexWrap: 'wrap' }}>
      <CsrfField />
      <input type="hidden" name="project" value={project} />
      <input className="control" type="email" name="email" placeholder="email" aria-label="Email" required />
      <select className="control" name="role" aria-label="Role" defaultValue="viewer">
        {ROLES.map(([r, label]) => (
          <option key={r} value={r}>
            {label}
          </option>
        ))}
      </select>
      <input
        className="control"
        type="password"
        name="password"
        placeholder="initial password (empty: SSO only)"
        aria-label="Initial password"
        autoComplete="new-password"
        minLength={12}
      />
      <button className="btn" type="submit" disabled={pending}>
        Add member
      </button>
      <Outcome state={state} />
    </form>
  );
}

export function MemberControls({ project, member }: { project: string; member: Member }) {
  const [roleState, roleAction] = useActionState<SettingsState, FormData>(changeRole, {});
  const [removeState, removeAction] = useActionState<SettingsState, FormData>(removeMember, {});
  return (
    <div className="toolbar" style={{ flexWrap: 'nowrap' }}>
      <form action={roleAction} aria-label={`Role of ${member.email}`}>
        <CsrfField />
        <input type="hidden" name="project" value={project} />
        <input type="hidden" name="userId" value={member.userId} />
        <select
          className="control"
          name="role"
          aria-label={`Role of ${member.email}`}
          defaultValue={member.role}
          onChange={(e) => e.currentTarget.form?.requestSubmit()}
        >
          {ROLES.map(([r]) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </form>
      <form
        action={removeAction}
        onSubmit={(e) => {
          if (!window.confirm(`Remove ${member.email} from ${project}?`)) e.preventDefault();
        }}
      >
        <CsrfField />
        <input type="hidden" name="project" value={project} />
        <input type="hidden" name="userId" value={member.userId} />
        <button className="btn small" type="submit">
          Remove
        </button>
      </form>
      <Outcome state={roleState.error || roleState.ok ? roleState : removeState} />
    </div>
  );
}
