// A rain check shown on the booking it went to: "Paid" there counts money the patron paid for a cancelled charter,
// and the card says so, read from the booking's ledger (only for a booking with something paid, and again only when
// what is paid changes). Text goes in through textContent.
import { apiFetch } from './api.js';
import { money } from './format.js';

const FROM = 'rain check from ';

export async function noteCredits(card, event) {
  const note = noteOf(card);
  const key = `${event.slug} ${event.paid_cents}`;
  if (card.dataset.creditsFor === key) return;
  card.dataset.creditsFor = key;
  if (event.paid_cents <= 0) {
    note.hidden = true;
    return;
  }
  let statement;
  try {
    statement = await apiFetch(`/events/${encodeURIComponent(event.slug)}/payments`);
  } catch {
    delete card.dataset.creditsFor; // not known: the next refresh asks again
    return;
  }
  if (card.dataset.creditsFor !== key) return; // a newer snapshot asked meanwhile
  const credits = statement.entries.map(({ entry }) => entry).filter((entry) => entry.kind === 'credit');
  note.hidden = !credits.length;
  note.textContent = credits.length ? words(credits) : '';
}

function words(credits) {
  const total = credits.reduce((sum, entry) => sum + entry.amount_cents, 0);
  const sources = credits.map((entry) => entry.reference.replace(FROM, '')).join(', ');
  return `Paid includes ${money(total)} kept as a rain check from ${sources}.`;
}

function noteOf(card) {
  let note = card.querySelector('.credit-note');
  if (!note) {
    note = Object.assign(document.createElement('p'), { className: 'credit-note', hidden: true });
    card.querySelector('.refund-due').after(note);
  }
  return note;
}
