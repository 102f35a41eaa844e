// The one place that renders an event's full card, opened from its row (loaded on first use). Everything a
// patron or dispatcher typed goes in through textContent or an attribute, never as HTML.
import { noteCredits } from './credit-note.js';
import { fromTemplate } from './dialogs.js';
import { dayLabel, money, periodWords } from './format.js';
import { dockWords, isCancelled, paymentState } from './rows.js';

export async function renderCard(current) {
  const card = await fromTemplate('card-template');
  fillCard(card, current()); // as it is now: a poll may have changed the charter while the template loaded
  return card;
}

// Update `card` from an EventOut snapshot, in place.
export function fillCard(card, event) {
  const put = (selector, text) => {
    const element = card.querySelector(selector);
    element.textContent = text;
    return element;
  };
  const { patron } = event;
  const cancelled = isCancelled(event);
  card.id = `card-${event.slug}`;
  card.dataset.slug = event.slug;
  card.classList.toggle('cleared', event.payment_cleared);
  card.classList.toggle('cancelled', cancelled);
  const slug = put('.slug', event.slug);
  slug.title = event.slug_conforming ? '' : 'Booked in the old system: this slug does not follow date-name-period';
  put('.badge', cancelled ? 'Cancelled' : paymentState(event));
  put('.when', `${dayLabel(event.date)} · ${periodWords(event.period)}${cancelled ? ' · cancelled' : ''}`);
  put('.patron-name', `${patron.first_name} ${patron.last_name}`.trim());
  const over = event.waivers_signed > event.party_size ? ' — over party size' : '';
  put('.party', `${event.party_size} ${event.party_size === 1 ? 'guest' : 'guests'} · waivers ${event.waivers_signed}/${event.party_size}${over}`)
    .classList.toggle('over', Boolean(over));
  put('.contact', [patron.email, patron.phone].filter(Boolean).join(' · ')).hidden = !patron.email && !patron.phone;
  put('.title', event.title).hidden = !event.title;
  const priced = event.amount_due_cents !== null;
  put('.due', priced ? money(event.amount_due_cents) : 'No price set');
  put('.paid', money(event.paid_cents));
  put('.balance', priced || event.paid_cents ? money(event.balance_cents) : '—');
  put('.refund-due', `Refund due ${money(event.refund_due_cents)}`).hidden = !event.refund_due_cents;
  put('.crew', crewLine(event)).hidden = !crewLine(event);
  fillConflicts(card, event);
  fillDock(card, event);
  noteCredits(card, event);
  fillReminders(card, event);
  fillGuestLink(card, event);
  card.querySelector('.log-payment').hidden = event.payment_cleared !== false || cancelled;
  for (const action of ['assign', 'edit', 'reschedule', 'send-link', 'cancel']) {
    card.querySelector(`[data-action="${action}"]`).hidden = cancelled;
  }
  card.querySelector('[data-action="send-link"]').hidden = cancelled || !patron.email;
}

// Where the charter stands at the dock on its day, in the words its row uses.
function fillDock(card, event) {
  let badge = card.querySelector('.dock-badge');
  if (!badge) {
    badge = Object.assign(document.createElement('span'), { className: 'dock-badge' });
    card.querySelector('.badge').after(badge);
  }
  badge.hidden = !event.dock_status;
  badge.textContent = dockWords(event);
}

// Said on the card when the dispatcher turned this charter's reminders off, so a patron's "no reminder came" has
// its answer in front of whoever takes the call.
function fillReminders(card, event) {
  let note = card.querySelector('.reminders-off');
  if (!note) {
    note = Object.assign(document.createElement('p'), { className: 'reminders-off' });
    note.textContent = 'Reminders off: the patron is not emailed before the charter.';
    card.querySelector('.when').after(note);
  }
  note.hidden = event.reminders !== false || isCancelled(event);
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

// The guest link is the public address the server gives (SCC_PUBLIC_URL), never this browser's origin.
function fillGuestLink(card, event) {
  const url = event.guest_link;
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
