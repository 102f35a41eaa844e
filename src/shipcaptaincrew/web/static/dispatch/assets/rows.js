// The one place that renders a charter's row on the board: start time, patron (phone as a tel: link), party,
// waivers, balance, ship and captain, and badges. Everything typed goes in through textContent or an attribute.
import { money, periodLabel, plural, startTime } from './format.js';

export const isCancelled = (event) => event.status === 'cancelled';
export const isUnpaid = (event) => !isCancelled(event) && !event.payment_cleared;
export const waiversMissing = (event) => !isCancelled(event) && event.waivers_signed < event.party_size;
export const hasConflicts = (event) => event.conflicts.length > 0;
export const refundDue = (event) => event.refund_due_cents > 0; // money paid on a cancelled charter, not yet settled

function span(className, text = '') {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

export function renderRow(event) {
  const row = document.createElement('article');
  row.className = 'charter';
  const line = document.createElement('div');
  line.className = 'row';
  const open = document.createElement('button');
  open.type = 'button';
  open.className = 'open';
  open.setAttribute('aria-expanded', 'false');
  const tel = document.createElement('a');
  tel.className = 'tel';
  const facts = span('facts');
  facts.append(span('party'), span('waivers'), span('money-state'), span('ship'), span('badges'));
  line.append(span('time'), span('who'), tel, facts);
  line.querySelector('.who').append(open);
  const slot = document.createElement('div');
  slot.className = 'card-slot';
  row.append(line, slot);
  fillRow(row, event);
  return row;
}

export function patronName(event) {
  return `${event.patron.first_name} ${event.patron.last_name}`.trim() || event.slug;
}

// Update a row from an EventOut snapshot, in place.
export function fillRow(row, event) {
  const put = (selector, text) => {
    const element = row.querySelector(selector);
    element.textContent = text;
    return element;
  };
  row.dataset.slug = event.slug;
  row.classList.toggle('cancelled', isCancelled(event));
  row.classList.toggle('cleared', event.payment_cleared);
  const time = put('.time', startTime(event.period));
  time.append(span('period', periodLabel(event.period)));
  put('.open', patronName(event)).title = event.slug;
  const tel = put('.tel', event.patron.phone); // empty, not hidden: the columns stay in line
  if (event.patron.phone) tel.href = `tel:${event.patron.phone.replace(/[^\d+]/g, '')}`;
  else tel.removeAttribute('href');
  put('.party', plural(event.party_size, 'guest'));
  const over = event.waivers_signed > event.party_size ? ' over' : '';
  put('.waivers', `waivers ${event.waivers_signed}/${event.party_size}${over}`).classList.toggle('missing', waiversMissing(event));
  put('.money-state', moneyState(event));
  put('.ship', [event.ship, event.captain].filter(Boolean).join(' · '));
  row.querySelector('.badges').replaceChildren(...badges(event).map(([kind, text]) => span(`tag ${kind}`, text)));
}

export function paymentState(event) {
  if (event.payment_cleared) return 'Paid';
  if (event.paid_cents > 0) return 'Part paid';
  return event.amount_due_cents === null ? 'No price' : 'Unpaid';
}

function moneyState(event) {
  if (isCancelled(event)) return event.refund_due_cents ? `Refund due ${money(event.refund_due_cents)}` : 'Nothing due';
  if (event.amount_due_cents === null && !event.payment_cleared) return 'No price set';
  if (event.balance_cents > 0) return `${money(event.balance_cents)} due`;
  return event.balance_cents < 0 ? `Credit ${money(-event.balance_cents)}` : 'Paid';
}

function badges(event) {
  const found = [];
  if (isCancelled(event)) found.push(['cancelled', 'Cancelled']);
  else if (!event.payment_cleared) found.push([event.amount_due_cents === null ? 'no-price' : 'unpaid', paymentState(event)]);
  if (waiversMissing(event)) found.push(['signatures', 'Waivers missing']);
  if (hasConflicts(event)) found.push(['conflict', `⚠ ${plural(event.conflicts.length, 'conflict')}`]);
  if (event.dock_status) found.push([`dock ${event.dock_status}`, dockWords(event)]);
  return found;
}

const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });

// Where the charter stands at the dock on its day, from the crew's day sheets: "Boarding 2/6",
// "Departed 09:05 · 6 aboard", "Returned 12:40"; empty before anyone is checked in.
export function dockWords(event) {
  const { dock_status: status, aboard } = event;
  if (status === 'boarding') return `Boarding ${aboard}/${event.party_size}`;
  if (status === 'departed') return `Departed ${clock(event.departed_at)} · ${aboard} aboard`;
  return status === 'returned' ? `Returned ${clock(event.returned_at)}` : '';
}
