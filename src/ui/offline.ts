// Offline use: production builds register the service worker (public/sw.js), which keeps the app shell so the
// page loads and opens files without network once it has been loaded. Dev builds (vite dev) do not.

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const url = `${import.meta.env.BASE_URL}sw.js`;
  // registration failing (private mode, file://) only means no offline use
  navigator.serviceWorker.register(url, { scope: import.meta.env.BASE_URL }).catch(() => undefined);
}
