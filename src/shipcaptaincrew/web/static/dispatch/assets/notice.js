// Page-level messages: a polite status line, and an error banner with an optional Retry.

const status = document.getElementById('status');
const banner = document.getElementById('banner');
let retry = null;

export function announce(text) {
  status.textContent = text;
}

export function showBanner(text, onRetry = null) {
  banner.querySelector('.banner-text').textContent = text;
  banner.querySelector('[data-action="retry"]').hidden = !onRetry;
  retry = onRetry;
  banner.hidden = false;
}

export function hideBanner() {
  banner.hidden = true;
  retry = null;
}

banner.addEventListener('click', (event) => {
  if (!event.target.closest('[data-action="retry"]') || !retry) return;
  const again = retry;
  hideBanner();
  again();
});
