'use client';

import { useState, useTransition } from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { RANGE_PRESETS, type RangeKey } from '@/lib/time-range';
import { fromTimeInput, TIME_ZONE_LABEL, toTimeInput } from '@/lib/time';
import type { FilterValues } from '@sightline/contract';
import { LiveRefresh } from './live-refresh';

export interface FilterBarProps {
  range: { key: RangeKey; from: number; to: number };
  /** Values offered in the selects; null when the collector could not list them. */
  options: Pick<FilterValues, 'services' | 'agents' | 'environments'> | null;
  /** Params this page resets when the scope changes (its cursor, for instance). */
  resetOnChange?: string[];
}

const SELECTS = [
  { key: 'service', label: 'Service', option: 'services' },
  { key: 'agent', label: 'Agent', option: 'agents' },
  { key: 'environment', label: 'Env', option: 'environments' },
] as const;

/** Time range, service / agent / environment and live refresh, all kept in the URL. */
export function FilterBar({ range, options, resetOnChange = ['cursor'] }: FilterBarProps) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [pending, startTransition] = useTransition();
  const [customOpen, setCustomOpen] = useState(range.key === 'custom');

  const navigate = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search.toString());
    for (const key of resetOnChange) next.delete(key);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, value);
    }
    const qs = next.toString();
    startTransition(() => router.push(qs ? `${pathname}?${qs}` : pathname, { scroll: false }));
  };

  const pickPreset = (key: string) => {
    setCustomOpen(false);
    navigate({ range: key === '1h' ? undefined : key, from: undefined, to: undefined });
  };

  return (
    <div className="toolbar" aria-busy={pending}>
      <div className="segmented" role="group" aria-label="Time range">
        {RANGE_PRESETS.map((p) => (
          <button key={p.key} type="button" aria-pressed={range.key === p.key} onClick={() => pickPreset(p.key)}>
            {p.label}
          </button>
        ))}
        <button type="button" aria-pressed={range.key === 'custom'} onClick={() => setCustomOpen((o) => !o)}>
          Custom
        </button>
      </div>
      {customOpen && (
        <CustomRange
          from={range.from}
          to={range.to}
          onApply={(from, to) => navigate({ range: undefined, from: String(from), to: String(to) })}
        />
      )}
      {SELECTS.map(({ key, label, option }) => {
        const current = search.get(key) ?? '';
        const values = options?.[option] ?? [];
        // Keep a value that came in through a link even when the collector does not list it now.
        const all = current && !values.includes(current) ? [current, ...values] : values;
        return (
          <label key={key} className="field">
            {label}
            <select
              className="control"
              name={key}
              value={current}
              onChange={(e) => navigate({ [key]: e.target.value })}
              disabled={options === null && !current}
            >
              <option value="">All</option>
              {all.map((v) => (
                <option key={v} value={v}>
                  {v || '(none)'}
                </option>
              ))}
            </select>
          </label>
        );
      })}
      <LiveRefresh />
    </div>
  );
}

function CustomRange({ from, to, onApply }: { from: number; to: number; onApply: (from: number, to: number) => void }) {
  const [start, setStart] = useState(toTimeInput(from));
  const [end, setEnd] = useState(toTimeInput(to));
  const valid = fromTimeInput(start) < fromTimeInput(end);
  return (
    <form
      className="toolbar"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onApply(fromTimeInput(start), fromTimeInput(end));
      }}
    >
      <input className="control" type="datetime-local" aria-label="From (UTC)" value={start} onChange={(e) => setStart(e.target.value)} />
      <span className="faint">to</span>
      <input className="control" type="datetime-local" aria-label="To (UTC)" value={end} onChange={(e) => setEnd(e.target.value)} />
      <span className="faint">{TIME_ZONE_LABEL}</span>
      <button className="btn" type="submit" disabled={!valid}>
        Apply
      </button>
    </form>
  );
}
