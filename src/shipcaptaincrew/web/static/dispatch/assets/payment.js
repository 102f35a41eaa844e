// The Log Payment modal: checks amount and method as the server does, posts once per submission
// (one Idempotency-Key for a given body, so a double click or a retry logs one payment), and updates
// the card in place from the snapshot the server returns.
import { apiFetch, newKey } from './api.js';
import { cardBySlug, updateEvent } from './board.js';
import { busy, clearErrors, fieldError, focusFirstInvalid, showError, value } from './forms.js';
import { money, parseAmount } from './format.js';
import { closeModal, openModal } from './modal.js';
import { announce } from './notice.js';

const modal = document.getElementById('payment-modal');
const form = modal.querySelector('form');
let slug = null;
let attempt = null; // {json, key}: the last body sent and its Idempotency-Key

export function openPayment(event) {
  slug = event.slug;
  attempt = null;
  form.reset();
  clearErrors(form);
  modal.querySelector('.modal-sub').textContent = `${event.slug} · balance ${money(event.balance_cents)}`;
  form.elements.patron_name.value = `${event.patron.first_name} ${event.patron.last_name}`.trim();
  if (event.balance_cents > 0) form.elements.amount.value = (event.balance_cents / 100).toFixed(2);
  openModal(modal, { focus: form.elements.amount });
  form.elements.amount.select();
}

function readPayment() {
  const amount = parseAmount(value(form, 'amount'));
  const method = value(form, 'payment_method');
  const patronName = value(form, 'patron_name');
  if (amount.error) fieldError(form, 'amount', amount.error);
  if (!method) fieldError(form, 'payment_method', 'Choose how it was paid.');
  if (!patronName) fieldError(form, 'patron_name', 'Say who paid.');
  if (amount.error || !method || !patronName) {
    focusFirstInvalid(form);
    return null;
  }
  const dollars = `${Math.floor(amount.cents / 100)}.${String(amount.cents % 100).padStart(2, '0')}`;
  return {
    event_id: slug,
    patron_name: patronName,
    amount: dollars,
    payment_method: method,
    reference: value(form, 'reference'),
    note: value(form, 'note'),
  };
}

async function save() {
  clearErrors(form);
  const body = readPayment();
  if (!body) return;
  const json = JSON.stringify(body);
  if (attempt?.json !== json) attempt = { json, key: newKey() };
  let result;
  try {
    result = await apiFetch('/payment-log', { method: 'POST', body, idempotencyKey: attempt.key });
  } catch (error) {
    if (error.status !== 401) showError(form, error); // on 401 the modal waits, as typed, for the sign-in
    return;
  }
  updateEvent(result.event);
  closeModal();
  const card = cardBySlug(result.event.slug);
  if (card && !modal.contains(document.activeElement) && document.activeElement === document.body) {
    card.querySelector('[data-action="history"]').focus();
  }
  announce(`Logged ${money(result.payment.amount_cents)} for ${result.event.slug}; `
    + `balance ${money(result.event.balance_cents)}${result.event.payment_cleared ? ', paid in full' : ''}.`);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  busy(form, save);
});
