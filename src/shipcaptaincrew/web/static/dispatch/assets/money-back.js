// Money back to the patron, from an event's payments (under the Payments modal's ledger, loaded with it): a refund
// (money sent back, at most what was paid) or a rain check (a cancelled charter's refund due moved onto a later
// booking of the same patron, as a credit). Neither can be reversed, so each first says what it will do, and a
// second press of the same button, with nothing changed, sends it.
import { apiFetch, newKey } from './api.js';
import { updateEvent } from './board.js';
import { fromTemplate } from './dialogs.js';
import { busy, clearErrors, fieldError, focusFirstInvalid, showError, value } from './forms.js';
import { dayLabel, money, parseAmount, paymentMethods, periodLabel } from './format.js';
import { toast } from './notice.js';

const METHODS = ['cash', 'check', 'venmo', 'zelle', 'card', 'other'];
let section = null;
let current = null; // {event, done}: the event whose payments are open, and what to do after a change
let pending = null; // {form, json, key}: the body the confirm line asks about, and its Idempotency-Key

// Offer a refund and a rain check below the ledger of `event`, as far as they apply; `done` re-reads the ledger.
export async function offerMoneyBack(modal, event, done) {
  section ??= await build(modal);
  current = { event, done };
  const canRefund = event.paid_cents > 0;
  const canRainCheck = event.status === 'cancelled' && event.refund_due_cents > 0;
  section.querySelector('[data-money="refund"]').hidden = !canRefund;
  section.querySelector('[data-money="rain-check"]').hidden = !canRainCheck;
  section.hidden = !canRefund && !canRainCheck;
  closeForms();
}

async function build(modal) {
  const made = await fromTemplate('money-back-template', 'charter-day.html');
  modal.querySelector('.modal-box > .modal-actions').before(made);
  made.addEventListener('click', onClick);
  made.addEventListener('input', (event) => {
    if (pending?.form === event.target.form) unconfirm(event.target.form);
  });
  made.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target;
    busy(form, () => (form.classList.contains('refund-form') ? refund(form) : rainCheck(form)));
  });
  return made;
}

const capital = (word) => word.charAt(0).toUpperCase() + word.slice(1);
const fullName = (event) => `${event.patron.first_name} ${event.patron.last_name}`.trim();

function onClick(event) {
  const action = event.target.closest('button[data-money]')?.dataset.money;
  if (action === 'refund') openRefund();
  else if (action === 'rain-check') openRainCheck();
  else if (action === 'close') closeForms(true);
}

// The open form goes (what was typed with it); only the buttons stay.
function closeForms(refocus = false) {
  const opened = section.querySelector('[data-money][aria-expanded="true"]');
  section.querySelector('.money-back-form').replaceChildren();
  pending = null;
  section.querySelectorAll('[data-money][aria-expanded]').forEach((b) => b.setAttribute('aria-expanded', 'false'));
  if (refocus) opened?.focus();
}

async function reveal(action) {
  closeForms();
  const form = await fromTemplate(`${action}-form-template`, 'charter-day.html');
  section.querySelector('.money-back-form').replaceChildren(form);
  section.querySelector(`[data-money="${action}"]`).setAttribute('aria-expanded', 'true');
  return form;
}

async function openRefund() {
  const { event } = current;
  const form = await reveal('refund');
  const method = form.elements.payment_method;
  method.append(new Option('Choose…', ''), ...(paymentMethods() ?? METHODS).map((m) => new Option(capital(m), m)));
  if (event.refund_due_cents > 0) form.elements.amount.value = (event.refund_due_cents / 100).toFixed(2);
  form.elements.patron_name.value = fullName(event);
  form.elements.amount.focus();
}

async function openRainCheck() {
  const { event } = current;
  const form = await reveal('rain-check');
  form.elements.amount.value = (event.refund_due_cents / 100).toFixed(2);
  const target = form.elements.to_event;
  target.replaceChildren(new Option('Looking for their other bookings…', ''));
  target.focus();
  const later = await laterBookings(event);
  if (current.event !== event || !form.isConnected) return;
  target.replaceChildren(...(later.length ? later.map(bookingOption)
    : [new Option(`No other live booking of ${fullName(event) || event.slug}: book it first`, '')]));
}

// The patron's other live bookings, as the server tells patrons apart: by email, else by full name.
async function laterBookings(event) {
  const { patron } = event;
  const q = patron.email || fullName(event) || event.slug;
  const page = await apiFetch(`/events?${new URLSearchParams({ q, limit: 50 })}`).catch(() => ({ events: [] }));
  const same = (other) => (patron.email
    ? other.patron.email.toLowerCase() === patron.email.toLowerCase()
    : !other.patron.email && fullName(other).toLowerCase() === fullName(event).toLowerCase());
  return page.events.filter((other) => other.slug !== event.slug && other.status === 'booked' && same(other));
}

function bookingOption(other) {
  const due = other.balance_cents > 0 ? `${money(other.balance_cents)} due` : 'nothing due';
  const option = new Option(`${dayLabel(other.date)}, ${periodLabel(other.period)} · ${other.slug} · ${due}`, other.slug);
  option.dataset.balance = String(other.balance_cents);
  return option;
}

// The first press shows what will happen and asks again; the second, with the same body, sends it.
function confirmFirst(form, body, question, label) {
  const json = JSON.stringify(body);
  if (pending?.form === form && pending.json === json) return pending.key;
  pending = { form, json, key: newKey() };
  form.querySelector('.confirm').textContent = question;
  setTimeout(() => { form.querySelector('[type="submit"]').textContent = label; }); // after busy() restores it
  return null;
}

function unconfirm(form) {
  if (pending?.form === form) pending = null;
  form.querySelector('.confirm').textContent = '';
  const button = form.querySelector('[type="submit"]');
  button.textContent = form.classList.contains('refund-form') ? 'Log refund' : 'Move the credit';
}

function readAmount(form, most, what) {
  const amount = parseAmount(value(form, 'amount'));
  if (amount.error) fieldError(form, 'amount', amount.error);
  else if (amount.cents > most) fieldError(form, 'amount', `At most ${money(most)} ${what}.`);
  return amount;
}

async function refund(form) {
  clearErrors(form);
  const { event } = current;
  const amount = readAmount(form, event.paid_cents, 'was paid, so at most that can go back');
  const method = value(form, 'payment_method');
  const name = value(form, 'patron_name');
  if (!method) fieldError(form, 'payment_method', 'Choose how the money went back.');
  if (!name) fieldError(form, 'patron_name', 'Say who it went back to.');
  if (amount.error || form.querySelector('[aria-invalid="true"]')) return focusFirstInvalid(form);
  const body = { event_id: event.slug, amount: amount.text, payment_method: method, patron_name: name,
    reference: value(form, 'reference'), note: value(form, 'note') };
  const receipt = event.patron.email ? `${event.patron.email} is emailed a receipt` : 'no email on file, so no receipt';
  const key = confirmFirst(form, body, `Send back ${money(amount.cents)} to ${name} by ${capital(method)}? `
    + `A refund cannot be reversed; ${receipt}.`, `Yes, log the ${money(amount.cents)} refund`);
  if (!key) return undefined;
  let result;
  try {
    result = await apiFetch('/refund-log', { method: 'POST', body, idempotencyKey: key });
  } catch (error) {
    return error.status === 401 ? undefined : showError(form, error);
  }
  pending = null;
  updateEvent(result.event);
  toast(`Refund of ${money(result.payment.amount_cents)} logged for ${result.event.slug}.`
    + `${result.event.refund_due_cents ? ` Still due back: ${money(result.event.refund_due_cents)}.` : ''}`);
  return current.done();
}

async function rainCheck(form) {
  clearErrors(form);
  const { event } = current;
  const target = form.elements.to_event;
  const amount = readAmount(form, event.refund_due_cents, 'is due back');
  if (!target.value) fieldError(form, 'to_event', 'Choose the booking that takes the credit.');
  if (amount.error || form.querySelector('[aria-invalid="true"]')) return focusFirstInvalid(form);
  const owes = Math.max(Number(target.selectedOptions[0].dataset.balance) - amount.cents, 0);
  const body = { to_event: target.value, amount: amount.text };
  const ready = confirmFirst(form, body, `Move ${money(amount.cents)} from ${event.slug} to ${target.value}? `
    + `It cannot be reversed; ${target.value} then owes ${money(owes)}.`, `Yes, move ${money(amount.cents)}`);
  if (!ready) return undefined;
  let result;
  try {
    result = await apiFetch(`/events/${encodeURIComponent(event.slug)}/rain-check`, { method: 'POST', body });
  } catch (error) {
    return error.status === 401 ? undefined : showError(form, error);
  }
  pending = null;
  updateEvent(result.event);
  updateEvent(result.target);
  toast(`Rain check: ${money(result.arrived.amount_cents)} moved to ${result.target.slug}; `
    + `it now owes ${money(Math.max(result.target.balance_cents, 0))}.`);
  return current.done();
}
