// The one place that renders an event card. Everything a patron or dispatcher typed goes in through
// textContent or an attribute, never as HTML.
import { dayLabel, money, periodLabel } from './format.js';

const template = document.getElementById('card-template');

export function renderCard(event) {
  const card = template.content.firstElementChild.cloneNode(true);
  fillCard(card, event);
  return card;
}

export function guestUrl(event) {
  return new URL(event.guest_url, window.location.origin).href;
}

// Update `card` from an EventOut snapshot, in place.
export function fillCard(card, event) {
  const put = (selector, text) => {
    const element = card.querySelector(selector);
    element.textContent = text;
    return element;
  };
  const { patron } = event;
  card.dataset.slug = event.slug;
  card.classList.toggle('cleared', event.payment_cleared);
  card.classList.toggle('cancelled', event.status === 'cancelled');
  const slug = put('.slug', event.slug);
  slug.title = event.slug_conforming ? '' : 'Booked in the old system: this slug does not follow date-name-period';
  put('.badge', paymentState(event));
  const status = event.status === 'booked' ? '' : ` · ${event.status}`;
  put('.when', `${dayLabel(event.date)} · ${periodLabel(event.period)}${status}`);
  put('.patron-name', `${patron.first_name} ${patron.last_name}`.trim());
  const over = event.waivers_signed > event.party_size ? ' — over party size' : '';
  put('.party', `${event.party_size} ${event.party_size === 1 ? 'guest' : 'guests'} · waivers ${event.waivers_signed}/${event.party_size}${over}`)
    .classList.toggle('over', Boolean(over));
  put('.title', event.title).hidden = !event.title;
  put('.due', money(event.amount_due_cents));
  put('.paid', money(event.paid_cents));
  put('.balance', money(event.balance_cents));
  put('.crew', crewLine(event)).hidden = !crewLine(event);
  fillConflicts(card, event);
  fillDock(card, event);
  fillGuestLink(card, event);
  card.querySelector('.log-payment').hidden = event.payment_cleared !== false;
}

function paymentState(event) {
  if (event.payment_cleared) return 'Paid';
  return event.paid_cents > 0 ? 'Part paid' : 'Unpaid';
}

// Where the charter stands at the dock on its day, from the crew's day sheets.
function fillDock(card, event) {
  let badge = card.querySelector('.dock-badge');
  if (!badge) {
    badge = Object.assign(document.createElement('span'), { className: 'dock-badge' });
    card.querySelector('.badge').after(badge);
  }
  const at = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  const { dock_status: status, aboard } = event;
  badge.hidden = !status;
  badge.textContent = status === 'boarding' ? `Boarding ${aboard}/${event.party_size}`
    : status === 'departed' ? `Departed ${at(event.departed_at)} · ${aboard} aboard`
      : status === 'returned' ? `Returned ${at(event.returned_at)}` : '';
}

function crewLine(event) {
  const parts = [];
  if (event.ship) parts.push(`Ship ${event.ship}`);
  if (event.captain) parts.push(`Captain ${event.captain}`);
  if (event.crew.length) parts.push(`Crew ${event.crew.join(', ')}`);
  return parts.join(' · ');
}

// A conflict stays on the card, overridden or not, with the reason it was accepted. One found after the
// override (c.overridden false) is counted as new, so an override never hides it.
function fillConflicts(card, event) {
  const count = event.conflicts.length;
  const badge = card.querySelector('.conflict-badge');
  badge.hidden = !count;
  badge.textContent = conflictBadge(event);
  const note = card.querySelector('.conflict-note');
  note.hidden = !count;
  note.textContent = conflictNote(event);
}

export function conflictBadge(event) {
  const count = event.conflicts.length;
  const fresh = event.conflicts.filter((c) => !c.overridden).length;
  const state = !event.override_reason ? '' : fresh ? ` · ${fresh} new since override` : ' · overridden';
  return `⚠ ${count} conflict${count === 1 ? '' : 's'}${state}`;
}

export function conflictNote(event) {
  return [...event.conflicts.map((c) => c.message), event.override_reason && `Override: ${event.override_reason}`]
    .filter(Boolean).join(' · ');
}

function fillGuestLink(card, event) {
  const url = guestUrl(event);
  const link = card.querySelector('.guest-link');
  if (link.href === url) return;
  link.href = url;
  link.textContent = url;
  card.querySelector('.qr-box').replaceChildren(); // drawn again, for the new link, when next opened
}

// Draw the guest link's QR code the first time its <details> opens; the encoder loads only then.
export async function drawQr(details) {
  const box = details.querySelector('.qr-box');
  if (!details.open || box.firstChild) return;
  const url = details.closest('.card').querySelector('.guest-link').href;
  box.textContent = 'Drawing…';
  try {
    const { qrSvg } = await import('./qr.js');
    box.replaceChildren(qrSvg(url, `QR code for ${url}`));
  } catch {
    box.textContent = 'No QR code: the link is too long, or the encoder did not load.';
  }
}
