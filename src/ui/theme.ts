// Themes: light, dark and high contrast. The system preference decides (prefers-contrast: more → high
// contrast, prefers-color-scheme: dark → dark) unless the user picked one; projector mode uses high contrast.
import { useEffect, useState } from 'react';
import { useStore, setTheme } from './store';
import { useClassroom } from './classroom/state';

export type ResolvedTheme = 'light' | 'dark' | 'contrast';

const query = () => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null);
const contrastQuery = () => (typeof matchMedia === 'function' ? matchMedia('(prefers-contrast: more)') : null);

function useMedia(q: () => MediaQueryList | null): boolean {
  const [on, setOn] = useState(() => q()?.matches ?? false);
  useEffect(() => {
    const m = q();
    if (!m) return;
    const change = () => setOn(m.matches);
    m.addEventListener('change', change);
    return () => m.removeEventListener('change', change);
  }, [q]);
  return on;
}

export function useResolvedTheme(): ResolvedTheme {
  const choice = useStore((s) => s.theme);
  const projector = useClassroom((s) => s.projector);
  const systemDark = useMedia(query);
  const systemContrast = useMedia(contrastQuery);

  const system: ResolvedTheme = systemContrast ? 'contrast' : systemDark ? 'dark' : 'light';
  const resolved: ResolvedTheme = projector ? 'contrast' : choice === 'system' ? system : choice;
  useEffect(() => {
    document.documentElement.dataset.theme = resolved;
  }, [resolved]);
  return resolved;
}

/** Switch between light and dark; choosing what the system prefers goes back to following it. */
export function toggleTheme(resolved: ResolvedTheme): void {
  const next = resolved === 'dark' ? 'light' : 'dark';
  const systemDark = query()?.matches ?? false;
  const systemContrast = contrastQuery()?.matches ?? false;
  setTheme(!systemContrast && next === (systemDark ? 'dark' : 'light') ? 'system' : next);
}
