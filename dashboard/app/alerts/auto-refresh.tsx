'use client';

import { useEffect } from 'react';
import { useRouter } from 'next/navigation';

const INTERVAL_MS = 5_000;

/** Alert states change on the collector's clock, not on user input: re-render every 5 s while visible. */
export function AutoRefresh() {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
    }, INTERVAL_MS);
    return () => clearInterval(timer);
  }, [router]);
  return (
    <span className="faint" style={{ fontSize: 12 }}>
      auto-refreshing
    </span>
  );
}
