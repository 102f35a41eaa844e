// Cancel a charter (a reason for the patron, an optional fee kept) or move it to another day or period, from its
// card (loaded on first use). Both carry the version the card showed; the patron is emailed by the server.
import { apiFetch } from './api.js';
import { dialog } from './dialogs.js';
import { busy, clearErrors, fieldError, focusFirstInvalid, showError, value } from './forms.js';
import { dayLabel, parseAmount, periodLabel, periodNames, periodWords } from './format.js';
import { closeModal, openModal } from './modal.js';

const modal = await dialog('change-modal');
const form = modal.querySelector('form');
let current = null; // {event, kind: 'cancel' | 'move', done}

export function openCancel(event, done) {
  open(event, 'cancel', done);
}

export function openReschedule(event, done) {
  open(event, 'move', done);
}

function open(event, kind, done) {
  current = { event, kind, done };
  form.reset();
  clearErrors(form);
  const moving = kind === 'move';
  modal.querySelector('h2').textContent = moving ? 'Reschedule charter' : 'Cancel charter';
  modal.querySelector('.modal-sub').textContent = `${event.slug} · ${dayLabel(event.date)} · ${periodWords(event.period)}`;
  modal.querySelector('.move-fields').hidden = !moving;
  modal.querySelector('.cancel-fields').hidden = moving;
  form.querySelector('[type="submit"]').textContent = moving ? 'Move it' : 'Cancel charter';
  form.querySelector('[type="submit"]').className = moving ? 'primary' : 'danger';
  form.elements.period.replaceChildren(...periodNames().map((name) => new Option(periodWords(name), name)));
  form.elements.date.value = event.date;
  form.elements.period.value = event.period;
  openModal(modal, { focus: moving ? form.elements.date : form.elements.reason });
}

function readMove() {
  const date = value(form, 'date');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) fieldError(form, 'date', 'Choose the new date.');
  else if (date === current.event.date && value(form, 'period') === current.event.period) {
    fieldError(form, 'date', `It is already on that day, ${periodLabel(current.event.period).toLowerCase()}: choose another day or period.`);
  } else return { date, period: value(form, 'period'), version: current.event.version };
  return null;
}

function readCancel() {
  const reason = value(form, 'reason');
  const keep = value(form, 'keep');
  const amount = keep ? parseAmount(keep) : { text: null };
  if (!reason) fieldError(form, 'reason', 'Say why, in words for the patron: they are emailed it.');
  if (amount.error) fieldError(form, 'keep', amount.error);
  if (!reason || amount.error) return null;
  return { reason, version: current.event.version, ...(amount.text ? { keep: amount.text } : {}) };
}

async function save() {
  clearErrors(form);
  const moving = current.kind === 'move';
  const body = moving ? readMove() : readCancel();
  if (!body) {
    focusFirstInvalid(form);
    return;
  }
  const action = moving ? 'reschedule' : 'cancel';
  let changed;
  try {
    changed = await apiFetch(`/events/${encodeURIComponent(current.event.slug)}/${action}`, { method: 'POST', body });
  } catch (error) {
    if (error.status !== 401) showError(form, error);
    return;
  }
  closeModal();
  current.done(changed, current.event);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  busy(form, save);
});
