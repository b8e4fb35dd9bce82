/**
 * The sidebar's entries. A new page (Drift, Alerts) adds one line here once it exists.
 * `match` decides which entry is active for a pathname.
 */
export interface NavEntry {
  href: string;
  label: string;
  icon: 'overview' | 'traces' | 'sessions' | 'alerts' | 'settings';
  match: (pathname: string) => boolean;
}

export const NAV: readonly NavEntry[] = [
  { href: '/', label: 'Overview', icon: 'overview', match: (p) => p === '/' },
  { href: '/traces', label: 'Traces', icon: 'traces', match: (p) => p.startsWith('/traces') },
  { href: '/sessions', label: 'Sessions', icon: 'sessions', match: (p) => p.startsWith('/sessions') },
  { href: '/alerts', label: 'Alerts', icon: 'alerts', match: (p) => p.startsWith('/alerts') },
  { href: '/drift', label: 'Drift', icon: 'overview', match: (p) => p.startsWith('/drift') },
  { href: '/settings', label: 'Settings', icon: 'settings', match: (p) => p.startsWith('/settings') },
];
