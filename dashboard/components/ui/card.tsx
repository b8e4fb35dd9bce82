import type { ReactNode } from 'react';

export function Card({
  title,
  hint,
  actions,
  children,
  flush,
  id,
}: {
  title?: ReactNode;
  hint?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  flush?: boolean;
  id?: string;
}) {
  return (
    <section className="card" id={id} aria-label={typeof title === 'string' ? title : undefined}>
      {title !== undefined && (
        <div className="card-header">
          <h2>{title}</h2>
          {hint !== undefined && <span className="hint">{hint}</span>}
          {actions}
        </div>
      )}
      <div className={flush ? 'card-body flush' : 'card-body'}>{children}</div>
    </section>
  );
}
