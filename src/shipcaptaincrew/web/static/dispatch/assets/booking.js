// The New event form, and the same form to edit a charter's details and price (loaded on first use). The slug
// preview follows what is typed; the server's 400/409 land on the field they name. A price is asked for: saving
// without one needs "No price yet" ticked. An edit carries the version it was opened at; if someone saved first,
// what they changed is said, taken into the fields left untouched, and Save again keeps what was typed.
import { apiFetch } from './api.js';
import { dialog } from './dialogs.js';
import { busy, clearErrors, fieldError, focusFirstInvalid, formMessage, showError, value } from './forms.js';
import { money, parseAmount, periodLabel, periodNames, periodWords, slugPreview } from './format.js';
import { closeModal, openModal } from './modal.js';

const modal = await dialog('event-modal');
const form = modal.querySelector('form');
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const FIELDS = [['patron.first_name', 'first name'], ['patron.last_name', 'last name'], ['patron.email', 'email'],
  ['patron.phone', 'phone'], ['party_size', 'party size'], ['amount_due', 'price'], ['title', 'title'], ['notes', 'notes']];
let editing = null; // the snapshot an edit was opened at
let done = () => {};

form.elements.period.replaceChildren(...periodNames().map((name) => new Option(`${periodLabel(name)} (${periodWords(name).split(', ')[1]})`, name)));

export function openBooking(defaultDate, onBooked) {
  if (editing) resetBooking();
  done = onBooked;
  setMode(false);
  if (!form.elements.date.value) form.elements.date.value = defaultDate;
  preview();
  openModal(modal, { focus: form.elements['patron.first_name'] });
}

export function openEdit(event, onSaved) {
  resetBooking();
  done = onSaved;
  editing = event;
  setMode(true);
  fill(event);
  openModal(modal, { focus: form.elements['patron.first_name'] });
}

export function resetBooking() {
  form.reset();
  clearErrors(form);
  editing = null;
}

function setMode(edit) {
  modal.querySelector('h2').textContent = edit ? 'Edit charter' : 'New event';
  modal.querySelector('.when-fields').hidden = edit;
  modal.querySelector('.slug-field').hidden = edit;
  const sub = modal.querySelector('.modal-sub');
  sub.hidden = !edit;
  sub.textContent = edit ? `${editing.slug} · the day and period change with Reschedule` : '';
}

// What a field shows for an event: the text the form holds.
function shown(event, name) {
  if (name === 'amount_due') return event.amount_due_cents === null ? '' : (event.amount_due_cents / 100).toFixed(2);
  if (name === 'party_size') return String(event.party_size);
  return name.startsWith('patron.') ? event.patron[name.slice(7)] : event[name];
}

function fill(event) {
  FIELDS.forEach(([name]) => { form.elements[name].value = shown(event, name); });
  form.elements.no_price.checked = event.amount_due_cents === null;
  form.elements.reminders.checked = event.reminders;
}

function preview() {
  form.elements.slug.value = slugPreview(value(form, 'date'), value(form, 'patron.first_name'), value(form, 'period'));
}

function check(name, valid, message) {
  if (!valid) fieldError(form, name, message);
  return valid;
}

function readEvent() {
  const party = value(form, 'party_size');
  const price = value(form, 'amount_due');
  const noPrice = form.elements.no_price.checked;
  const amount = price ? parseAmount(price) : { text: null };
  const email = value(form, 'patron.email');
  const checks = [
    check('date', editing || DAY.test(value(form, 'date')), 'Choose the date.'),
    check('patron.first_name', value(form, 'patron.first_name') !== '', 'Enter the patron’s first name.'),
    check('patron.email', !email || /^[^@\s]+@[^@\s]+$/.test(email), 'Enter an email like name@example.org.'),
    check('party_size', /^\d{1,3}$/.test(party) && party >= 1 && party <= 500, 'Enter a party size from 1 to 500.'),
    check('amount_due', !amount.error, amount.error),
    check('amount_due', price || noPrice, 'Enter the price, or tick “No price yet”.'),
  ];
  if (checks.includes(false)) {
    focusFirstInvalid(form);
    return null;
  }
  return {
    patron: { first_name: value(form, 'patron.first_name'), last_name: value(form, 'patron.last_name'), email,
      phone: value(form, 'patron.phone') },
    party_size: Number(party),
    amount_due: price ? amount.text : null,
    title: value(form, 'title'),
    notes: value(form, 'notes'),
    reminders: form.elements.reminders.checked,
  };
}

async function save() {
  clearErrors(form);
  const details = readEvent();
  if (!details) return;
  const slug = editing?.slug;
  let saved;
  try {
    saved = editing
      ? await apiFetch(`/events/${encodeURIComponent(slug)}`, { method: 'PATCH', body: { ...details, version: editing.version } })
      : await apiFetch('/events', { method: 'POST', body: { date: value(form, 'date'), period: value(form, 'period'), ...details } });
  } catch (error) {
    if (error.code === 'stale_version') await takeInTheirs(slug);
    else if (error.status !== 401) showError(form, error); // on 401 the form waits, as typed, for the sign-in
    return;
  }
  resetBooking();
  closeModal();
  done(saved);
}

// Someone saved this charter after the form was opened: say what they changed, take it into every field this
// dispatcher left as it was, keep what they typed, and let Save again go on from the newer version.
async function takeInTheirs(slug) {
  const theirs = await apiFetch(`/events/${encodeURIComponent(slug)}`);
  const changes = [];
  for (const [name, words] of FIELDS) {
    const before = shown(editing, name);
    const now = shown(theirs, name);
    if (before === now) continue;
    const mine = form.elements[name].value.trim() !== before;
    if (!mine) form.elements[name].value = now;
    const said = name === 'amount_due' ? [before, now].map((v) => (v ? money(Math.round(v * 100)) : 'no price')) : [before, now];
    changes.push(`${words} ${said[0] || '(empty)'} → ${said[1] || '(empty)'}${mine ? ' (yours kept)' : ''}`);
  }
  if (theirs.status !== editing.status) changes.push(`status ${editing.status} → ${theirs.status}`);
  editing = theirs;
  done(theirs, { stale: true });
  formMessage(form, `Someone else saved this charter since you opened it: ${changes.join('; ') || 'nothing you can see here'}. `
    + 'Check the fields, then Save again.');
}

form.addEventListener('input', () => { if (!editing) preview(); });
form.addEventListener('submit', (event) => {
  event.preventDefault();
  busy(form, save);
});
