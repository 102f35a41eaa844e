// A person's day sheet link in the roster panel: shown on demand to send to their phone, copied, or replaced when
// a phone is lost (the old link answers 404 at once). The address is the only credential, so it stays folded away
// until asked for. Text goes in through textContent.
import { apiFetch } from './api.js';
import { copyLink } from './notice.js';
import { el } from './panel.js';

let opened = 0;

// The "Day sheet" button of a person's line, and the block it unfolds (both to append to the line).
export function daySheetControls(person, onError) {
  opened += 1;
  const block = el('div', { className: 'day-sheet-link', id: `day-sheet-${opened}`, hidden: true });
  const toggle = el('button', { type: 'button', className: 'quiet small', textContent: 'Day sheet' });
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', block.id);
  toggle.setAttribute('aria-label', `Day sheet link for ${person.name}`);
  toggle.addEventListener('click', () => {
    block.hidden = !block.hidden;
    toggle.setAttribute('aria-expanded', String(!block.hidden));
    if (!block.hidden) fill(block, person, onError);
  });
  return [toggle, block];
}

function fill(block, person, onError) {
  // The public address (SCC_PUBLIC_URL) the server gives, never this browser's origin: it goes to another phone.
  const link = el('a', { className: 'sheet-address', href: person.day_sheet_link, textContent: person.day_sheet_link });
  const copy = el('button', { type: 'button', className: 'quiet small', textContent: 'Copy link' });
  copy.addEventListener('click', () => copyLink(copy, link));
  const rotate = el('button', { type: 'button', className: 'quiet small', textContent: 'New day sheet link' });
  rotate.addEventListener('click', () => rotateSheet(block, person, onError));
  const status = el('p', { className: 'status', role: 'status' });
  block.replaceChildren(el('p', { textContent: `${person.name}'s charters today and the next days, for their phone at the dock:` }),
    link, el('div', { className: 'sheet-actions' }, copy, rotate), status);
}

async function rotateSheet(block, person, onError) {
  if (!window.confirm(`Give ${person.name} a new day sheet link? The old one stops working at once, on every phone.`)) return;
  let renewed;
  try {
    renewed = await apiFetch(`/people/${encodeURIComponent(person.id)}/day-sheet/rotate`, { method: 'POST' });
  } catch (error) {
    onError(error);
    return;
  }
  Object.assign(person, renewed);
  fill(block, person, onError);
  block.querySelector('.status').textContent = `New link made: the old one no longer opens. Send ${person.name} this one.`;
}
