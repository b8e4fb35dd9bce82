import Link from 'next/link';

const TABS = [
  ['prices', 'Model prices'],
  ['projects', 'Projects'],
  ['keys', 'API keys'],
  ['members', 'Members'],
  ['audit', 'Audit log'],
] as const;

const href = (tab: string) => (tab === 'prices' ? '/settings' : `/settings/${tab}`);

export type SettingsTab = (typeof TABS)[number][0];

export function SettingsTabs({ active }: { active: SettingsTab }) {
  return (
    <nav className="settings-tabs" aria-label="Settings">
      {TABS.map(([tab, label]) => (
        <Link key={tab} href={href(tab)} aria-current={tab === active ? 'page' : undefined}>
          {label}
        </Link>
      ))}
    </nav>
  );
}
