'use client';

import { useState, useTransition } from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';

/**
 * The list's own filters (search, status, minimum duration), kept in the URL. Text fields apply
 * on Enter so each keystroke does not hit the collector.
 */
export function ListFilters({ searchLabel, withMinDuration }: { searchLabel: string; withMinDuration?: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [, startTransition] = useTransition();
  const [q, setQ] = useState(search.get('q') ?? '');
  const [minDuration, setMinDuration] = useState(search.get('minDurationMs') ?? '');
  const status = search.get('status') ?? '';

  const navigate = (changes: Record<string, string>) => {
    const next = new URLSearchParams(search.toString());
    next.delete('cursor');
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    const qs = next.toString();
    startTransition(() => router.push(qs ? `${pathname}?${qs}` : pathname, { scroll: false }));
  };

  return (
    <form
      className="toolbar"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        navigate(withMinDuration ? { q: q.trim(), minDurationMs: minDuration.trim() } : { q: q.trim() });
      }}
    >
      <input
        className="control"
        type="search"
        name="q"
        placeholder={searchLabel}
        aria-label={searchLabel}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        style={{ width: 220 }}
      />
      {withMinDuration && (
        <label className="field">
          Min duration
          <input
            className="control"
            name="minDurationMs"
            inputMode="numeric"
            pattern="[0-9]*"
            placeholder="ms"
            value={minDuration}
            onChange={(e) => setMinDuration(e.target.value)}
            style={{ width: 80 }}
          />
        </label>
      )}
      <div className="segmented" role="group" aria-label="Status">
        {[
          ['', 'All'],
          ['ok', 'OK'],
          ['error', 'Errors'],
        ].map(([value, label]) => (
          <button key={value} type="button" aria-pressed={status === value} onClick={() => navigate({ status: value! })}>
            {label}
          </button>
        ))}
      </div>
      <button type="submit" className="btn">
        Apply
      </button>
    </form>
  );
}
