/** Inline SVG icons (no icon font or CDN). */
const base = {
  width: 16,
  height: 16,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
} as const;

export function OverviewIcon() {
  return (
    <svg {...base} aria-hidden>
      <path d="M3 3v18h18" />
      <path d="m7 14 4-4 3 3 5-6" />
    </svg>
  );
}
export function TracesIcon() {
  return (
    <svg {...base} aria-hidden>
      <path d="M4 6h10M7 12h10M10 18h10" />
    </svg>
  );
}
export function SessionsIcon() {
  return (
    <svg {...base} aria-hidden>
      <circle cx="6" cy="6" r="2.5" />
      <circle cx="18" cy="12" r="2.5" />
      <circle cx="6" cy="18" r="2.5" />
      <path d="M8.3 7.2 15.7 10.8M15.7 13.2 8.3 16.8" />
    </svg>
  );
}
export function ChevronIcon({ open }: { open: boolean }) {
  return (
    <svg
      {...base}
      width={12}
      height={12}
      aria-hidden
      style={{ transform: open ? 'rotate(90deg)' : undefined, transition: 'transform 120ms' }}
    >
      <path d="m9 6 6 6-6 6" />
    </svg>
  );
}
export function AlertIcon() {
  return (
    <svg {...base} width={18} height={18} aria-hidden style={{ flex: 'none', marginTop: 1 }}>
      <path d="M12 9v4M12 17h.01" />
      <path d="M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z" />
    </svg>
  );
}

export function SettingsIcon() {
  return (
    <svg {...base} aria-hidden>
      <circle cx="12" cy="12" r="3" />
      <path d="M12 2v3M12 19v3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M2 12h3M19 12h3M4.9 19.1 7 17M17 7l2.1-2.1" />
    </svg>
  );
}

export const NAV_ICONS = {
  overview: OverviewIcon,
  traces: TracesIcon,
  sessions: SessionsIcon,
  alerts: AlertIcon,
  settings: SettingsIcon,
} as const;
