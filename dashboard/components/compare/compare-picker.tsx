'use client';

import { useState, type FormEvent, type ReactNode } from 'react';
import { useRouter } from 'next/navigation';
import type { CompareKind } from '@sightline/contract';
import { compareHref } from '@/lib/compare-target';

/**
 * Wraps a list whose rows have `pick` checkboxes (CompareCheckbox): a Compare button that opens
 * /compare for the two checked rows. Without JavaScript the form still submits `pick=…&pick=…`,
 * which the compare page turns into the same link.
 */
export function ComparePicker({ kind, children }: { kind: CompareKind; children: ReactNode }) {
  const router = useRouter();
  // In the order they were checked: the first checked is A.
  const [picked, setPicked] = useState<string[]>([]);
  const change = (e: FormEvent<HTMLFormElement>) => {
    const box = e.target;
    if (!(box instanceof HTMLInputElement) || box.name !== 'pick') return;
    setPicked((p) => (box.checked ? [...p.filter((id) => id !== box.value), box.value] : p.filter((id) => id !== box.value)));
  };
  const submit = (e: FormEvent<HTMLFormElement>) => {
    if (picked.length !== 2) return;
    e.preventDefault();
    router.push(compareHref(kind, picked[0]!, picked[1]!));
  };
  return (
    <form method="get" action="/compare" onChange={change} onSubmit={submit} data-testid="compare-picker">
      <input type="hidden" name="kind" value={kind} />
      <div className="toolbar" style={{ padding: '8px 12px', margin: 0 }}>
        <button type="submit" className="btn small" disabled={picked.length !== 2} data-testid="compare-button">
          Compare
        </button>
        <span className="muted" style={{ fontSize: 12 }}>
          {picked.length === 2 ? `A ${picked[0]} · B ${picked[1]}` : `Check two ${kind}s to see them side by side`}
        </span>
      </div>
      {children}
    </form>
  );
}

export function CompareCheckbox({ id, label }: { id: string; label: string }) {
  return (
    <td style={{ width: 28 }}>
      <input type="checkbox" name="pick" value={id} aria-label={`Select ${label} to compare`} />
    </td>
  );
}
