// The day sheet in the browser: register the worker that keeps the offline copy, keep this copy now, and say so
// when the page shown is that copy. The page works without this script; it only adds the offline copy.
const sheet = document.getElementById('sheet');
const CACHE = 'day-sheet-v1';

function showOffline() {
  document.getElementById('offline').hidden = navigator.onLine;
}

async function keepThisCopy() {
  if (!sheet || !('serviceWorker' in navigator) || !window.caches) return;
  await navigator.serviceWorker.register(sheet.dataset.worker, { scope: sheet.dataset.scope });
  if (navigator.onLine && !navigator.serviceWorker.controller) {
    // The first visit was not fetched through the worker: keep the page and its files for the next one.
    const files = [...document.querySelectorAll('link[rel=stylesheet], script[src]')].map((e) => e.href || e.src);
    await (await caches.open(CACHE)).addAll([window.location.href, ...files]);
  }
}

if (sheet) {
  showOffline();
  window.addEventListener('online', showOffline);
  window.addEventListener('offline', showOffline);
  keepThisCopy().catch(() => {}); // no worker (an old browser, a private window): the page still works online
}
