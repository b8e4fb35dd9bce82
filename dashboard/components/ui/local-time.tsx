'use client';

import { useEffect, useState } from 'react';
import { formatClock } from '@/lib/format';

/**
 * A timestamp in the viewer's time zone. The server renders it in its own zone; after hydration
 * it is re-rendered in the browser's (the same zone when both run on one machine).
 */
export function LocalTime({ ms, withDate = true, seconds = true }: { ms: number; withDate?: boolean; seconds?: boolean }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const text = formatClock(ms, { withDate, seconds });
  return (
    // The key change after mount replaces the server's text, which hydration would otherwise keep.
    <time key={mounted ? 'client' : 'server'} dateTime={new Date(ms).toISOString()} suppressHydrationWarning>
      {text}
    </time>
  );
}
