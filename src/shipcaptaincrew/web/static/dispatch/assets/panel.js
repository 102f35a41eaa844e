// The modals of the modules loaded on first use (day view, schedule, roster): built here once, not in
// index.html, with their stylesheet, so a first visit downloads none of it. Text goes in as textContent.
import { loadStyles } from './dialogs.js';
import { closeModal, openModal } from './modal.js';

const built = new Map();

export function el(tag, props = {}, ...children) {
  const element = Object.assign(document.createElement(tag), props);
  element.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

// The modal `id` (made on first call): {modal, body, sub, error}; opened at once.
export function panel(id, title) {
  if (!built.has(id)) built.set(id, build(id));
  const parts = built.get(id);
  parts.heading.textContent = title;
  parts.error.hidden = true;
  openModal(parts.modal);
  return parts;
}

function build(id) {
  loadStyles(); // the modal's own look
  if (!document.getElementById('views-css')) {
    document.head.append(el('link', { id: 'views-css', rel: 'stylesheet', href: '/assets/views.css' }));
  }
  const heading = el('h2', { id: `${id}-title` });
  const sub = el('div', { className: 'modal-sub' });
  const error = el('p', { className: 'form-error', role: 'alert', hidden: true });
  const body = el('div', { className: 'panel-body' });
  const close = el('button', { type: 'button', className: 'quiet', textContent: 'Close' });
  close.addEventListener('click', closeModal);
  const box = el('div', { className: 'modal-box wide' }, heading, sub, error, body, el('div', { className: 'modal-actions' }, close));
  const modal = el('div', { id, className: 'modal' }, box);
  modal.setAttribute('role', 'dialog');
  modal.setAttribute('aria-modal', 'true');
  modal.setAttribute('aria-labelledby', heading.id);
  document.body.append(modal);
  return { modal, heading, sub, error, body };
}

export function panelError(parts, error) {
  if (error.status === 401) return;
  parts.error.textContent = error.message;
  parts.error.hidden = false;
}
