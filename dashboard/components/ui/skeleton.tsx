/** Loading placeholders shaped like the widget they stand in for: no numbers, just shapes. */
export function Skeleton({ height = 16, width = '100%' }: { height?: number | string; width?: number | string }) {
  return <div className="skeleton" style={{ height, width }} aria-hidden />;
}

export function TilesSkeleton({ count = 7 }: { count?: number }) {
  return (
    <div className={count === 6 ? 'tiles six' : 'tiles'} aria-busy="true" aria-label="Loading">
      {Array.from({ length: count }, (_, i) => (
        <div className="card tile" key={i}>
          <Skeleton height={12} width="60%" />
          <div style={{ height: 8 }} />
          <Skeleton height={24} width="70%" />
        </div>
      ))}
    </div>
  );
}

export function CardSkeleton({ height = 200, title }: { height?: number; title?: string }) {
  return (
    <section className="card" aria-busy="true" aria-label={title ? `Loading ${title}` : 'Loading'}>
      <div className="card-header">{title ? <h2>{title}</h2> : <Skeleton height={14} width={120} />}</div>
      <div className="card-body">
        <Skeleton height={height} />
      </div>
    </section>
  );
}

export function TableSkeleton({ rows = 8, title }: { rows?: number; title?: string }) {
  return (
    <section className="card" aria-busy="true" aria-label={title ? `Loading ${title}` : 'Loading'}>
      {title && (
        <div className="card-header">
          <h2>{title}</h2>
        </div>
      )}
      <div className="card-body" style={{ display: 'grid', gap: 10 }}>
        {Array.from({ length: rows }, (_, i) => (
          <Skeleton key={i} height={18} />
        ))}
      </div>
    </section>
  );
}
