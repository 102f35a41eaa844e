// The day sheet in the browser: register the worker that keeps the offline copy, keep this copy now, say so when
// the page shown is that copy, and draw a party's QR code. The page reads and checks in without this script.
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

// The party's QR code, for a walk-up to sign on their own phone: drawn when first opened, by the board's encoder.
async function drawQr(details) {
  const box = details.querySelector('.qr-box');
  if (!details.open || box.firstChild) return;
  const url = new URL(box.dataset.link, window.location.origin).href;
  try {
    const { qrSvg } = await import(sheet.dataset.qr);
    box.replaceChildren(qrSvg(url, `QR code for ${url}`));
  } catch {
    box.textContent = url;
  }
}

if (sheet) {
  showOffline();
  document.querySelectorAll('details.qr').forEach((details) => {
    details.addEventListener('toggle', () => drawQr(details));
  });
  window.addEventListener('online', showOffline);
  window.addEventListener('offline', showOffline);
  keepThisCopy().catch(() => {}); // no worker (an old browser, a private window): the page still works online
}
