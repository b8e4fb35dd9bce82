import type { ReactNode } from 'react';

export function PageHeader({ title, subtitle, children }: { title: ReactNode; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <div style={{ minWidth: 0 }}>
        <h1>{title}</h1>
        {subtitle !== undefined && <div className="subtitle">{subtitle}</div>}
      </div>
      {children !== undefined && <div className="toolbar">{children}</div>}
    </header>
  );
}
