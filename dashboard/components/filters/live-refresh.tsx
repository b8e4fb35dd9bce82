'use client';

import { useEffect } from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';

const INTERVAL_MS = 10_000;

/**
 * Live refresh: re-render the page's server components every 10 s while `live=1` is in the URL.
 * router.refresh() keeps client state (scroll, selection) and only re-fetches data.
 */
export function LiveRefresh() {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const live = search.get('live') === '1';

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
    }, INTERVAL_MS);
    return () => clearInterval(timer);
  }, [live, router]);

  const toggle = () => {
    const next = new URLSearchParams(search.toString());
    if (live) next.delete('live');
    else next.set('live', '1');
    const qs = next.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };

  return (
    <button type="button" className="btn" aria-pressed={live} onClick={toggle} title={`Refresh every ${INTERVAL_MS / 1000} s`}>
      <span className="live-dot" aria-hidden />
      Live
    </button>
  );
}
