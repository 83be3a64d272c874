// Small inline SVG icons (stroke icons drawn for Wirelens; they take the current text colour).
const PATHS: Record<string, string[]> = {
  open: ['M3 6.5V17a1.5 1.5 0 0 0 1.5 1.5h15A1.5 1.5 0 0 0 21 17V9a1.5 1.5 0 0 0-1.5-1.5H12L10 5H4.5A1.5 1.5 0 0 0 3 6.5Z'],
  filter: ['M4 5h16l-6.2 7.4V18l-3.6 1.6v-7.2Z'],
  clear: ['M6 6l12 12', 'M18 6L6 18'],
  arrow: ['M5 12h13', 'M13 6.5 18.5 12 13 17.5'],
  sun: [
    'M12 16.2a4.2 4.2 0 1 0 0-8.4 4.2 4.2 0 0 0 0 8.4Z',
    'M12 2.5v2',
    'M12 19.5v2',
    'M2.5 12h2',
    'M19.5 12h2',
    'M5.3 5.3l1.4 1.4',
    'M17.3 17.3l1.4 1.4',
    'M5.3 18.7l1.4-1.4',
    'M17.3 6.7l1.4-1.4',
  ],
  moon: ['M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5Z'],
  // two lifelines with sloping arrows between them
  ladder: ['M5 3.5v17', 'M19 3.5v17', 'M5 7l12.6 2.6', 'M15.4 7.9l2.2 1.7-2.7.9', 'M19 13l-12.6 2.6', 'M8.6 13.9l-2.2 1.7 2.7.9'],
  maximize: ['M4 9V4h5', 'M20 9V4h-5', 'M4 15v5h5', 'M20 15v5h-5'],
  restore: ['M9 4v5H4', 'M15 4v5h5', 'M9 20v-5H4', 'M15 20v-5h5'],
  // a stream of text lines in two colours (Follow)
  follow: ['M4 6h10', 'M8 10h12', 'M4 14h9', 'M8 18h10'],
  // two endpoints joined both ways (Conversations)
  conversations: ['M6.5 9.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z', 'M17.5 19.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z', 'M9 7h6.5a3 3 0 0 1 3 3v4.5', 'M15 17H8.5a3 3 0 0 1-3-3V9.5'],
  chevron: ['M7 10l5 5 5-5'],
  copy: ['M9 9h10v11H9Z', 'M5 15V4h10'],
  save: ['M12 4v11', 'M7.5 10.5 12 15l4.5-4.5', 'M5 19.5h14'],
  back: ['M10 6.5 4.5 12l5.5 5.5', 'M5 12h14'],
  info: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z', 'M12 11v5.5', 'M12 7.6h.01'],
  clock: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z', 'M12 7v5l3.2 2'],
  projector: ['M3 7.5h18v9H3Z', 'M12 12a2.2 2.2 0 1 0 0-.01', 'M6 10.5h2', 'M7 16.5 5.5 20', 'M17 16.5 18.5 20'],
  play: ['M7 4.8v14.4L19 12Z'],
  stop: ['M6.5 6.5h11v11h-11Z'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  settings: ['M4 7h9', 'M17 7h3', 'M15 5v4', 'M4 17h3', 'M11 17h9', 'M9 15v4', 'M4 12h5', 'M13 12h7', 'M11 10v4'],
  view: ['M2.5 12s3.5-6.5 9.5-6.5 9.5 6.5 9.5 6.5-3.5 6.5-9.5 6.5S2.5 12 2.5 12Z', 'M12 14.6a2.6 2.6 0 1 0 0-5.2 2.6 2.6 0 0 0 0 5.2Z'],
  palette: [
    'M12 3.5a8.5 8.5 0 0 0 0 17c1.2 0 1.8-.8 1.8-1.7 0-.5-.2-.9-.5-1.3-.3-.3-.5-.8-.5-1.3 0-1 .8-1.7 1.7-1.7h2.1a3.9 3.9 0 0 0 3.9-3.9C20.5 6.9 16.7 3.5 12 3.5Z',
    'M7.5 12.5h.01',
    'M9.5 8h.01',
    'M14.5 8h.01',
  ],
};

export type IconName =
  | 'open'
  | 'filter'
  | 'clear'
  | 'arrow'
  | 'sun'
  | 'moon'
  | 'palette'
  | 'logo'
  | 'ladder'
  | 'maximize'
  | 'restore'
  | 'follow'
  | 'conversations'
  | 'chevron'
  | 'copy'
  | 'save'
  | 'back'
  | 'info'
  | 'clock'
  | 'projector'
  | 'play'
  | 'stop'
  | 'check'
  | 'settings'
  | 'view';

export function Icon({ name, className }: { name: IconName; className?: string }) {
  if (name === 'logo') {
    return (
      <svg className={className} viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
        <circle cx="10.5" cy="10.5" r="6.8" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="M15.5 15.5 21 21" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
        <path d="M5.6 11h1.8l1.3-3 2.2 6 1.5-3.6h2" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
    );
  }
  return (
    <svg
      className={className}
      viewBox="0 0 24 24"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[name]!.map((d, i) => (
        <path key={i} d={d} />
      ))}
    </svg>
  );
}
