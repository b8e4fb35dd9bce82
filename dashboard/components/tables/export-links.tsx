import type { Scope } from '@/lib/search-params';
import { spanExportHref, type ExportFilters, type ExportKind } from '@/lib/span-export';

/**
 * "Download spans: JSONL · CSV" for the traces (or sessions) the list shows (every page of them,
 * not just this one). Plain links: the answer is an attachment, so the browser saves it and stays on the list;
 * a refusal opens its message instead.
 */
export function ExportLinks({ scope, filters, kind = 'traces' }: { scope: Scope; filters: ExportFilters; kind?: ExportKind }) {
  return (
    <span className="toolbar" data-testid="span-export" style={{ gap: 6, marginLeft: 'auto' }}>
      <span className="muted">Download spans:</span>
      <a className="btn small" href={spanExportHref('jsonl', scope, filters, kind)} aria-label="Download spans as JSON lines">
        JSONL
      </a>
      <a className="btn small" href={spanExportHref('csv', scope, filters, kind)} aria-label="Download spans as CSV">
        CSV
      </a>
    </span>
  );
}
