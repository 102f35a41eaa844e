// The Log Payment modal: checks amount and method as the server does, posts once per submission
// (one Idempotency-Key for a given body, so a double click or a retry logs one payment), and updates
// the card in place from the snapshot the server returns.
import { apiFetch, newKey } from './api.js';
import { rowBySlug, updateEvent } from './board.js';
import { dialog } from './dialogs.js';
import { busy, clearErrors, fieldError, focusFirstInvalid, showError, value } from './forms.js';
import { money, paymentMethods, parseAmount } from './format.js';
import { closeModal, openModal } from './modal.js';
import { toast } from './notice.js';

const modal = await dialog('payment-modal');
const form = modal.querySelector('form');
const methods = paymentMethods();
if (methods) {
  form.elements.payment_method.replaceChildren(new Option('Choose…', ''),
    ...methods.map((m) => new Option(m[0].toUpperCase() + m.slice(1), m)));
}
let slug = null;
let attempt = null; // {json, key, confirm}: the last body sent, its Idempotency-Key, whether Save confirms it

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
  if (attempt?.json !== json) attempt = { json, key: newKey(), confirm: false };
  let result;
  try {
    const sent = attempt.confirm ? { ...body, confirm: true } : body;
    result = await apiFetch('/payment-log', { method: 'POST', body: sent, idempotencyKey: attempt.key });
  } catch (error) {
    if (error.code === 'confirm_required') return askToConfirm(error);
    if (error.status !== 401) showError(form, error); // on 401 the modal waits, as typed, for the sign-in
    return;
  }
  updateEvent(result.event);
  closeModal();
  const row = rowBySlug(result.event.slug);
  if (row && document.activeElement === document.body) row.querySelector('.open').focus();
  const paid = result.payment;
  toast(`Logged ${money(paid.amount_cents)} for ${result.event.slug}; `
    + `balance ${money(result.event.balance_cents)}${result.event.payment_cleared ? ', paid in full' : ''}.`,
  { onUndo: () => undo(paid) });
}

// An amount far above what is owed is likely a typo: the server logs it only when confirmed, and here
// a second Save of the same form is the confirmation (changing anything asks again).
function askToConfirm(error) {
  attempt.confirm = true;
  const doubt = error.message.split(';')[0].replace(/^amount /, 'The amount ');
  fieldError(form, 'amount', `${doubt}. If it is right, press Save again to log it.`);
  focusFirstInvalid(form);
}

// Undo right after logging is a reversal: the ledger keeps both entries.
async function undo(paid) {
  try {
    const result = await apiFetch(`/payments/${encodeURIComponent(paid.id)}/reverse`,
      { method: 'POST', body: { reason: 'Undone on the board right after it was logged' } });
    updateEvent(result.event);
    toast(`Reversed ${money(paid.amount_cents)} for ${result.event.slug}; balance ${money(result.event.balance_cents)}.`);
  } catch (error) {
    if (error.status !== 401) toast(`Not reversed: ${error.message}`);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  busy(form, save);
});
