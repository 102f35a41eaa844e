// The day sheet's offline copy. Network first: a good answer is shown and kept; when the network fails (the dock's
// poor signal), the last good copy is shown instead, with the time it was read printed on it. A link that now
// answers 404 (rotated, or the person retired) loses its copy. POSTs (check-in, depart) are never answered here.
const CACHE = 'day-sheet-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  if (event.request.method !== 'GET') return;
  event.respondWith(networkFirst(event.request));
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const copy = await cache.match(request, { ignoreSearch: true });
    if (copy) return copy;
    throw error;
  }
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  else if (response.status === 404) await cache.delete(request, { ignoreSearch: true });
  return response;
}
