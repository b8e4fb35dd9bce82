'use client';

import Link from 'next/link';
import { useState } from 'react';
import { formatCount, formatDuration, formatPercent, formatSpend } from '@/lib/format';

export interface BreakdownRow {
  key: string;
  count: number;
  p95: number | null;
  errorRate: number;
  costUsd: number;
  unpricedCalls: number;
  href: string;
}

type SortKey = 'key' | 'count' | 'p95' | 'errorRate' | 'costUsd';
const COLUMNS: Array<{ key: SortKey; label: string; num: boolean }> = [
  { key: 'key', label: '', num: false },
  { key: 'count', label: 'Calls', num: true },
  { key: 'p95', label: 'p95', num: true },
  { key: 'errorRate', label: 'Errors', num: true },
  { key: 'costUsd', label: 'Cost', num: true },
];

/** A sortable breakdown (by agent, tool or model) that fits its card; each row opens the matching traces. */
export function BreakdownTable({ rows, keyLabel, testId }: { rows: BreakdownRow[]; keyLabel: string; testId?: string }) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'count', desc: true });
  const sorted = [...rows].sort((a, b) => {
    const d = compare(a[sort.key], b[sort.key]);
    return sort.desc ? -d : d;
  });
  return (
    <div className="table-wrap">
      <table className="data fit" data-testid={testId}>
        <colgroup>
          {COLUMNS.map((c) => (
            <col key={c.key} className={c.num ? 'num' : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {COLUMNS.map((c) => {
              const active = sort.key === c.key;
              return (
                <th
                  key={c.key}
                  className={c.num ? 'num' : undefined}
                  aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                >
                  <button type="button" onClick={() => setSort({ key: c.key, desc: active ? !sort.desc : c.num })}>
                    {c.label || keyLabel}
                    <span aria-hidden className="faint">
                      {active ? (sort.desc ? '↓' : '↑') : ''}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.key}>
              <td className="truncate" title={r.key}>
                <Link href={r.href}>{r.key}</Link>
              </td>
              <td className="num">{formatCount(r.count)}</td>
              <td className="num">{formatDuration(r.p95)}</td>
              <td className="num" style={r.errorRate > 0 ? { color: 'var(--error)' } : undefined}>
                {formatPercent(r.errorRate)}
              </td>
              <CostCell usd={r.costUsd} unpriced={r.unpricedCalls} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function compare(a: string | number | null, b: string | number | null): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  if (typeof a === 'string' && typeof b === 'string') return a.localeCompare(b);
  return Number(a) - Number(b);
}

function CostCell({ usd, unpriced }: { usd: number; unpriced: number }) {
  const spend = formatSpend(usd, unpriced);
  return (
    <td className={usd === 0 && unpriced === 0 ? 'num faint' : 'num'} title={spend.title}>
      {spend.text}
    </td>
  );
}
