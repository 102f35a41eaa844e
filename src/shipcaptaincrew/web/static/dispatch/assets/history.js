// The payment history of one event, with reversal: a mistake is corrected by a reversal with a reason,
// never by an edit or a delete.
import { apiFetch } from './api.js';
import { updateEvent } from './board.js';
import { dialog } from './dialogs.js';
import { busy, clearErrors, fieldError, formMessage } from './forms.js';
import { money, periodLabel } from './format.js';
import { isOpen, openModal } from './modal.js';
import { offerMoneyBack } from './money-back.js';
import { toast } from './notice.js';

const modal = await dialog('history-modal');
const list = modal.querySelector('.ledger');
const state = modal.querySelector('.history-state');
const template = document.getElementById('entry-template');
const when = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
let slug = null;

export function openHistory(event) {
  slug = event.slug;
  modal.querySelector('.modal-sub').textContent = `${event.slug} · ${periodLabel(event.period)}`;
  list.replaceChildren();
  formMessage(modal, '');
  openModal(modal, { onResume: refresh }); // after signing in again, read the ledger afresh
  return refresh();
}

async function refresh() {
  state.textContent = 'Loading payments…';
  let statement;
  try {
    statement = await apiFetch(`/events/${encodeURIComponent(slug)}/payments`);
  } catch (error) {
    state.textContent = '';
    if (error.status !== 401) formMessage(modal, error.message);
    return;
  }
  updateEvent(statement.event, { flashed: false });
  const { event, entries } = statement;
  state.textContent = `${entries.length ? '' : 'No payments yet. '}Due ${money(event.amount_due_cents)}, `
    + `paid ${money(event.paid_cents)}, balance ${money(event.balance_cents)}.`;
  list.replaceChildren(...entries.map(renderEntry));
  await offerMoneyBack(modal, event, refresh);
}

// What an entry is, in words: a rain check names the booking the money moved to or came from.
function entryWords(entry, reversed) {
  if (entry.kind === 'reversal') return ['reversal', entry.reason];
  if (entry.kind === 'rain_check' || entry.kind === 'credit') return [entry.reference, entry.patron_name];
  return [entry.kind === 'refund' && 'refund', entry.payment_method, entry.patron_name,
    entry.reference && `ref ${entry.reference}`, reversed && 'reversed'];
}

function renderEntry({ entry, balance_cents: balance, reversed }) {
  const item = template.content.firstElementChild.cloneNode(true);
  const put = (selector, text) => { item.querySelector(selector).textContent = text; };
  const isPayment = entry.kind === 'payment';
  item.dataset.id = entry.id;
  item.classList.add(entry.kind);
  item.classList.toggle('reversed', reversed);
  put('.entry-amount', `${isPayment || entry.kind === 'credit' ? '+' : '−'}${money(entry.amount_cents)}`);
  put('.entry-what', entryWords(entry, reversed).filter(Boolean).join(' · '));
  put('.entry-balance', `balance ${money(balance)}`);
  const recorded = `${when.format(new Date(entry.recorded_at))} by ${entry.actor}`;
  put('.entry-detail', [recorded, entry.note].filter(Boolean).join(' · '));
  item.querySelector('[data-action="reverse"]').hidden = !isPayment || reversed;
  return item;
}

async function reverse(form) {
  clearErrors(form);
  const reason = form.elements.reason.value.trim();
  if (!reason) {
    fieldError(form, 'reason', 'Say why it is reversed.');
    form.elements.reason.focus();
    return;
  }
  const id = form.closest('.entry').dataset.id;
  let result;
  try {
    result = await apiFetch(`/payments/${encodeURIComponent(id)}/reverse`, { method: 'POST', body: { reason } });
  } catch (error) {
    if (error.status !== 401) fieldError(form, 'reason', error.message);
    return;
  }
  updateEvent(result.event);
  toast(`Reversed ${money(result.payment.amount_cents)} for ${result.event.slug}; `
    + `balance ${money(result.event.balance_cents)}.`);
  if (isOpen(modal)) await refresh();
  list.querySelector('button:not([hidden])')?.focus();
}

list.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  const item = button?.closest('.entry');
  if (!item) return;
  const form = item.querySelector('.reverse');
  const opening = button.dataset.action === 'reverse';
  form.hidden = !opening;
  item.querySelector('[data-action="reverse"]').hidden = opening;
  if (opening) form.elements.reason.focus();
  else item.querySelector('[data-action="reverse"]').focus();
});

list.addEventListener('submit', (event) => {
  event.preventDefault();
  busy(event.target, () => reverse(event.target), 'Reversing…');
});
