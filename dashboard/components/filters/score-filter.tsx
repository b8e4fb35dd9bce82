'use client';

import { useState, useTransition } from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { SCORE_FILTER_KEYS } from '@/lib/scores';

/**
 * The lists' score filter, kept in the URL as the collector's own params (`scoreName`,
 * `scoreMin`, `scoreMax`, `scoreLabel`): the traces (sessions) with a score of that name within
 * the bounds, or with that label. `names` are the score names of the range (the overview's summary).
 */
export function ScoreFilterForm({ names }: { names: readonly string[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [, startTransition] = useTransition();
  const [name, setName] = useState(search.get('scoreName') ?? '');
  const [min, setMin] = useState(search.get('scoreMin') ?? '');
  const [max, setMax] = useState(search.get('scoreMax') ?? '');
  const [label, setLabel] = useState(search.get('scoreLabel') ?? '');
  // A name from a shared link that the range has no scores of is still a choice.
  const options = name && !names.includes(name) ? [name, ...names] : names;

  const apply = (values: Record<(typeof SCORE_FILTER_KEYS)[number], string>) => {
    const next = new URLSearchParams(search.toString());
    next.delete('cursor');
    for (const key of SCORE_FILTER_KEYS) {
      const v = values.scoreName ? values[key].trim() : '';
      if (v) next.set(key, v);
      else next.delete(key);
    }
    const qs = next.toString();
    startTransition(() => router.push(qs ? `${pathname}?${qs}` : pathname, { scroll: false }));
  };

  return (
    <form
      className="toolbar"
      aria-label="Score filter"
      data-testid="score-filter"
      onSubmit={(e) => {
        e.preventDefault();
        apply({ scoreName: name, scoreMin: min, scoreMax: max, scoreLabel: label });
      }}
    >
      <label className="field">
        Score
        <select className="control" name="scoreName" value={name} onChange={(e) => setName(e.target.value)} disabled={options.length === 0}>
          <option value="">{options.length === 0 ? 'no scores in range' : 'any'}</option>
          {options.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Min
        <input
          className="control"
          name="scoreMin"
          inputMode="decimal"
          value={min}
          onChange={(e) => setMin(e.target.value)}
          style={{ width: 60 }}
          disabled={!name}
        />
      </label>
      <label className="field">
        Max
        <input
          className="control"
          name="scoreMax"
          inputMode="decimal"
          value={max}
          onChange={(e) => setMax(e.target.value)}
          style={{ width: 60 }}
          disabled={!name}
        />
      </label>
      <label className="field">
        Label
        <input
          className="control"
          name="scoreLabel"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          style={{ width: 90 }}
          disabled={!name}
        />
      </label>
      <button type="submit" className="btn" disabled={!name && !search.get('scoreName')}>
        Filter
      </button>
    </form>
  );
}
