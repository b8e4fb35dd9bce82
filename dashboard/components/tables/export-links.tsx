import type { Scope } from '@/lib/search-params';
import { spanExportHref, type ExportFilters } from '@/lib/span-export';

/**
 * "Download spans: JSONL · CSV" for the traces the list shows (every page of them, not just this
 * one). Plain links: the answer is an attachment, so the browser saves it and stays on the list;
 * a refusal opens its message instead.
 */
export function ExportLinks({ scope, filters }: { scope: Scope; filters: ExportFilters }) {
  return (
    <span className="toolbar" data-testid="span-export" style={{ gap: 6, marginLeft: 'auto' }}>
      <span className="muted">Download spans:</span>
      <a className="btn small" href={spanExportHref('jsonl', scope, filters)} aria-label="Download spans as JSON lines">
        JSONL
      </a>
      <a className="btn small" href={spanExportHref('csv', scope, filters)} aria-label="Download spans as CSV">
        CSV
      </a>
    </span>
  );
}
