'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { NAV } from '@/lib/nav';
import { href, pickScope } from '@/lib/search-params';
import { NAV_ICONS } from '@/components/ui/icons';
import { AccountMenu, type ShellAccount } from './account-menu';

/** Navigation that carries the time range and filters from page to page; the signed-in user at its foot (none in the open local mode). */
export function Sidebar({ account }: { account?: ShellAccount | undefined }) {
  const pathname = usePathname();
  const search = useSearchParams();
  const scope = pickScope(new URLSearchParams(search.toString()));
  return (
    <nav className="sidebar" aria-label="Main">
      <Link href={href('/', scope)} className="brand">
        <span className="brand-mark" aria-hidden>
          S
        </span>
        Sightline
      </Link>
      {NAV.map((entry) => {
        const Icon = NAV_ICONS[entry.icon];
        const active = entry.match(pathname);
        return (
          <Link key={entry.href} href={href(entry.href, scope)} className="nav-link" aria-current={active ? 'page' : undefined}>
            <Icon />
            {entry.label}
          </Link>
        );
      })}
      <div className="sidebar-foot">{account ? <AccountMenu account={account} /> : 'Observability for AI agents'}</div>
    </nav>
  );
}
