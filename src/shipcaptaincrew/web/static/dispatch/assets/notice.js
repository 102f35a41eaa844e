// Page-level messages: the board's status line, an error banner with an optional Retry, and the toast that
// confirms an action where the eye is (fixed to the viewport), with Undo where the action can be reversed; and what
// a Copy link button says once it has copied.

const status = document.getElementById('status');
const banner = document.getElementById('banner');
const toastBox = document.getElementById('toast');
const TOAST_MS = 8000;
let retry = null;
let undo = null;
let timer = null;

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

// Say what was done; `onUndo` (optional) puts an Undo button beside it. It leaves by itself, but not while the
// pointer or the focus is on it.
export function toast(text, { onUndo = null, undoLabel = 'Undo' } = {}) {
  toastBox.querySelector('.toast-text').textContent = text;
  const button = toastBox.querySelector('[data-action="undo"]');
  button.hidden = !onUndo;
  button.textContent = undoLabel;
  undo = onUndo;
  toastBox.hidden = false;
  later();
}

export function hideToast() {
  toastBox.hidden = true;
  undo = null;
  clearTimeout(timer);
}

function later() {
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (toastBox.matches(':hover, :focus-within')) later();
    else hideToast();
  }, TOAST_MS);
}

// The row an action changed: flashed, so the eye finds it after a modal closes or a poll changes it.
export function flash(element) {
  if (!element) return;
  element.classList.remove('flash');
  void element.offsetWidth; // restart the animation
  element.classList.add('flash');
}

banner.addEventListener('click', (event) => {
  if (!event.target.closest('[data-action="retry"]') || !retry) return;
  const again = retry;
  hideBanner();
  again();
});

toastBox.addEventListener('click', (event) => {
  const action = event.target.closest('[data-action]')?.dataset.action;
  if (action === 'undo' && undo) {
    const reverse = undo;
    hideToast();
    reverse();
  } else if (action === 'dismiss') {
    hideToast();
  }
});

// Copy `link`'s address for a Copy link `button`, saying on the button that it did (or how to copy it by hand).
export async function copyLink(button, link) {
  try {
    await navigator.clipboard.writeText(link.href);
    button.textContent = 'Copied';
  } catch {
    window.getSelection().selectAllChildren(link); // no clipboard access: select it for Ctrl+C
    button.textContent = 'Press Ctrl+C';
  }
  setTimeout(() => { button.textContent = 'Copy link'; }, 2000);
}
