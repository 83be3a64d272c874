// Wirelens service worker (registered by production builds only, see src/ui/offline.ts): keeps the app shell
// so the page works offline once it has been loaded — a classroom without internet still works.
//
// At install it caches every file of the build, listed by the build in sw-precache.json (index.html, the
// hashed scripts and styles, the capture worker, the sample capture, the icon). Pages (navigations) go to the
// network first and fall back to the cached index.html; everything else is served from the cache first. The
// cache is named after the build, so a new build replaces it. Nothing here ever talks to another origin.

const PREFIX = 'wirelens-shell-';
const scope = new URL(self.registration.scope);

async function manifest() {
  const r = await fetch(new URL('sw-precache.json', scope), { cache: 'no-store' });
  if (!r.ok) throw new Error(`sw-precache.json: HTTP ${r.status}`);
  return r.json();
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const m = await manifest();
      const cache = await caches.open(PREFIX + m.version);
      await cache.addAll(['./', ...m.files].map((f) => new URL(f, scope).href));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const m = await manifest().catch(() => null);
      if (m) {
        for (const k of await caches.keys()) if (k.startsWith(PREFIX) && k !== PREFIX + m.version) await caches.delete(k);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== scope.origin) return;
  if (url.pathname.endsWith('/sw-precache.json')) return;
  if (req.mode === 'navigate') {
    event.respondWith(
      (async () => {
        try {
          const res = await fetch(req);
          if (res.ok) {
            const cache = await currentCache();
            if (cache) await cache.put(new URL('./', scope).href, res.clone());
          }
          return res;
        } catch (e) {
          const hit = (await caches.match(new URL('./', scope).href, { ignoreVary: true })) ?? (await caches.match(new URL('index.html', scope).href, { ignoreVary: true }));
          if (hit) return hit;
          throw e;
        }
      })(),
    );
    return;
  }
  event.respondWith(
    (async () => {
      // ignoreVary: the server may answer 'Vary: Origin', and module scripts send an Origin header the precache requests did not
      const hit = await caches.match(req, { ignoreVary: true });
      if (hit) return hit;
      const res = await fetch(req);
      if (res.ok && res.type === 'basic') {
        const cache = await currentCache();
        if (cache) await cache.put(req, res.clone());
      }
      return res;
    })(),
  );
});

async function currentCache() {
  const keys = (await caches.keys()).filter((k) => k.startsWith(PREFIX));
  return keys.length ? caches.open(keys[keys.length - 1]) : null;
}
