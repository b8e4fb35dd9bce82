import Link from 'next/link';
import { href } from '@/lib/search-params';

/** Cursor pagination: back to the newest page, or on to the next one. */
export function Pager({
  path,
  params,
  nextCursor,
  shown,
  what,
}: {
  path: string;
  params: Record<string, string>;
  nextCursor: string | null;
  shown: number;
  what: string;
}) {
  const { cursor, ...rest } = params;
  return (
    <div className="pager">
      <span>
        {shown} {what}
        {cursor ? ' (older page)' : ''}
      </span>
      <span className="toolbar">
        {cursor && (
          <Link className="btn small" href={href(path, rest)}>
            ← Newest
          </Link>
        )}
        {nextCursor ? (
          <Link className="btn small" href={href(path, { ...rest, cursor: nextCursor })} data-testid="next-page">
            Older →
          </Link>
        ) : (
          <span className="faint">End of list</span>
        )}
      </span>
    </div>
  );
}
