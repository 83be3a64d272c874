// Icons of the filter bar, drawn in the same stroke style as ../icons.tsx.
const PATHS = {
  bookmark: ['M7 4h10a1 1 0 0 1 1 1v15l-6-4-6 4V5a1 1 0 0 1 1-1Z'],
  history: ['M4.5 12a7.5 7.5 0 1 0 2.2-5.3', 'M4 4.5v3.6h3.6', 'M12 8v4.2l2.8 1.8'],
  warning: ['M12 4 21 19.5H3Z', 'M12 10v4.5', 'M12 17.2h.01'],
  plus: ['M12 5v14', 'M5 12h14'],
  trash: ['M5 7h14', 'M9.5 7V5h5v2', 'M7 7l1 12.5h8L17 7'],
} as const;

export type FbIconName = keyof typeof PATHS;

export function FbIcon({ name, className }: { name: FbIconName; className?: string }) {
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
      {PATHS[name].map((d, i) => (
        <path key={i} d={d} />
      ))}
    </svg>
  );
}
