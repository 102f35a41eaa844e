// Modals: shown by the `active` class, one at a time. Focus stays inside while one is open (the rest of
// the page is inert and Tab wraps), Esc closes it, and focus goes back to what opened it.
// suspend/resume hide the open modal while signing in again, keeping everything typed in it.

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), '
  + 'textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
let open = null; // {element, opener, onClose}
let suspended = null;

export function openModal(element, { onClose = () => {}, onResume = () => {}, focus = null } = {}) {
  if (open) closeModal();
  open = { element, opener: document.activeElement, onClose, onResume };
  element.classList.add('active');
  setBackground(true);
  (focus ?? focusables(element)[0])?.focus();
}

export function closeModal() {
  if (!open) return;
  const { element, opener, onClose } = open;
  open = null;
  element.classList.remove('active');
  setBackground(false);
  onClose();
  if (opener?.isConnected) opener.focus();
}

export function isOpen(element) {
  return open?.element === element;
}

export function suspendModal() {
  if (!open) return;
  suspended = open;
  open = null;
  suspended.element.classList.remove('active');
  setBackground(false);
}

export function resumeModal() {
  if (!suspended) return false;
  open = suspended;
  suspended = null;
  open.element.classList.add('active');
  setBackground(true);
  const form = open.element.querySelector('form');
  (form?.querySelector('[aria-invalid="true"]') ?? focusables(open.element)[0])?.focus();
  open.onResume();
  return true;
}

export function dropSuspended() {
  suspended = null;
}

function setBackground(covered) {
  document.getElementById('app').inert = covered;
}

function focusables(element) {
  return Array.from(element.querySelectorAll(FOCUSABLE)).filter((el) => el.getClientRects().length > 0);
}

function onKeydown(event) {
  if (!open) return;
  if (event.key === 'Escape') {
    event.preventDefault();
    closeModal();
  } else if (event.key === 'Tab') {
    const items = focusables(open.element);
    const first = items[0];
    const last = items[items.length - 1];
    const inside = open.element.contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  }
}

function onClick(event) {
  if (open && event.target.closest('[data-close]') && open.element.contains(event.target)) closeModal();
}

document.addEventListener('keydown', onKeydown);
document.addEventListener('click', onClick);
