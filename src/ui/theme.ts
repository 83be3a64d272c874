// Light/dark theme: follows the system preference unless the user picked one.
import { useEffect, useState } from 'react';
import { useStore, setTheme } from './store';

const query = () => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null);

export function useResolvedTheme(): 'light' | 'dark' {
  const choice = useStore((s) => s.theme);
  const [systemDark, setSystemDark] = useState(() => query()?.matches ?? false);

  useEffect(() => {
    const q = query();
    if (!q) return;
    const on = () => setSystemDark(q.matches);
    q.addEventListener('change', on);
    return () => q.removeEventListener('change', on);
  }, []);

  const resolved = choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
  useEffect(() => {
    document.documentElement.dataset.theme = resolved;
  }, [resolved]);
  return resolved;
}

/** Switch between light and dark; choosing what the system prefers goes back to following it. */
export function toggleTheme(resolved: 'light' | 'dark'): void {
  const next = resolved === 'dark' ? 'light' : 'dark';
  const systemDark = query()?.matches ?? false;
  setTheme(next === (systemDark ? 'dark' : 'light') ? 'system' : next);
}
