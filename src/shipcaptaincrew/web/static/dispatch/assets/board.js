// The board: the charters of a date range as an agenda, one row each, grouped by day (upcoming first, then
// earlier days, latest first); filters and the search narrow it, and the server's search adds matches from other
// days. It stays current: a poll sends back the list's ETag, and only a changed list is merged in, in place.
import { apiFetch, apiPoll } from './api.js';
import { dayLabel, isoDay, plural } from './format.js';
import { announce, flash } from './notice.js';
import { fillRow, hasConflicts, isUnpaid, refundDue, renderRow, waiversMissing } from './rows.js';

const PAGE = 500;
const SEARCH_AFTER_MS = 300;
const board = document.getElementById('board');
const shipFilter = document.getElementById('ship-filter');
const events = new Map(); // slug → EventOut in the shown range, in the server's order
const found = new Map(); // slug → EventOut the server's search found on other days
const rows = new Map(); // slug → row element, reused across renders
const filters = { unpaid: false, waivers: false, conflicts: false, refunds: false, ship: '' };
let shown = null; // the range on the board
let etag = null;
let generation = 0;
let query = '';
let searching = null;

export const shownRange = () => shown;
export const eventBySlug = (slug) => events.get(slug) ?? found.get(slug);
export const rowBySlug = (slug) => rows.get(slug);

// Fetch every page of the range, then draw it; a newer load makes an older one give up.
export async function loadBoard(range) {
  const ticket = ++generation;
  board.setAttribute('aria-busy', 'true');
  if (!shown || shown.from !== range.from || shown.to !== range.to) placeholder('Loading events…');
  try {
    const first = await apiPoll(windowPath(range), null);
    const all = await rest(range, first.data, ticket);
    if (ticket !== generation || !all) return;
    shown = range;
    etag = first.etag;
    replaceEvents(all);
    render();
  } catch (error) {
    const waiting = board.querySelector('.placeholder');
    if (ticket === generation && waiting) waiting.textContent = 'The events could not be loaded.';
    throw error;
  } finally {
    if (ticket === generation) board.removeAttribute('aria-busy');
  }
}

// The poll: nothing happens while the list's ETag is unchanged (a 304). A change is merged into the rows in
// place, flashing those that changed; open forms, the open card and the focus are left as they are. Every answer
// also says how the mail and the waiver stand (its headers, given to `heard`).
export async function refreshBoard(heard = () => {}) {
  if (!shown) return;
  const range = shown;
  const ticket = generation;
  const first = await apiPoll(windowPath(range), etag);
  heard(first.headers);
  if (!first.data || ticket !== generation) return;
  const all = await rest(range, first.data, ticket);
  if (!all || ticket !== generation) return;
  etag = first.etag;
  const before = new Map(events);
  replaceEvents(all);
  render();
  for (const [slug, event] of events) {
    if (!before.has(slug) || JSON.stringify(before.get(slug)) === JSON.stringify(event)) continue;
    flash(rows.get(slug));
    const card = rows.get(slug).querySelector('.card'); // an open card follows its charter
    if (card) (await import('./card.js')).fillCard(card, event);
  }
  if (query) searchServer(query);
}

function windowPath(range, cursor = null) {
  const params = new URLSearchParams({ from: range.from, to: range.to, limit: PAGE });
  if (cursor) params.set('cursor', cursor);
  return `/events?${params}`;
}

async function rest(range, page, ticket) {
  const all = [...page.events];
  let cursor = page.next_cursor;
  while (cursor) {
    const next = await apiFetch(windowPath(range, cursor));
    if (ticket !== generation) return null;
    all.push(...next.events);
    cursor = next.next_cursor;
  }
  return all;
}

function replaceEvents(list) {
  events.clear();
  list.forEach((event) => events.set(event.slug, event));
}

export function clearBoard() {
  generation += 1;
  shown = null;
  etag = null;
  events.clear();
  found.clear();
  rows.clear();
  board.replaceChildren();
}

const inRange = (event) => shown && event.date >= shown.from && event.date <= shown.to;

// A changed snapshot from the server (an action on this page): its row and open card updated, and flashed.
export async function updateEvent(event, { flashed = true } = {}) {
  const known = events.has(event.slug);
  if (inRange(event)) events.set(event.slug, event);
  else found.set(event.slug, event);
  const row = rows.get(event.slug);
  if (row) fillRow(row, event);
  if (!known && inRange(event)) render();
  const card = rows.get(event.slug)?.querySelector('.card');
  if (card) (await import('./card.js')).fillCard(card, event);
  applyFilters();
  if (flashed) flash(rows.get(event.slug));
}

// An event that left under this slug (renamed by a reschedule).
export function forgetEvent(slug) {
  events.delete(slug);
  found.delete(slug);
  rows.get(slug)?.remove();
  rows.delete(slug);
  render();
}

function placeholder(text) {
  delete document.body.dataset.board;
  board.replaceChildren(heading('p', 'placeholder', text));
}

function render() {
  const today = isoDay(new Date());
  const days = byDay(events.values());
  const dates = [...days.keys()].sort();
  const focused = board.contains(document.activeElement) ? document.activeElement : null;
  const fragment = document.createDocumentFragment();
  dates.filter((date) => date >= today).forEach((date) => fragment.append(daySection(date, days.get(date), today)));
  const earlier = dates.filter((date) => date < today).reverse();
  if (earlier.length) fragment.append(heading('h2', 'past-heading', 'Earlier days'));
  earlier.forEach((date) => fragment.append(daySection(date, days.get(date), today)));
  if (!events.size) fragment.append(heading('p', 'empty', `No events from ${dayLabel(shown.from)} to ${dayLabel(shown.to)}.`));
  fragment.append(elsewhere(today));
  for (const slug of rows.keys()) if (!events.has(slug) && !found.has(slug)) rows.delete(slug);
  board.replaceChildren(fragment);
  if (focused?.isConnected) focused.focus({ preventScroll: true });
  fillShips();
  applyFilters();
  document.body.dataset.board = 'ready';
  performance.mark('board-rendered');
}

function byDay(list) {
  const days = new Map();
  for (const event of list) {
    if (!days.has(event.date)) days.set(event.date, []);
    days.get(event.date).push(event);
  }
  return days;
}

function daySection(date, dayEvents, today) {
  const section = document.createElement('section');
  section.className = 'day';
  section.dataset.date = date;
  const when = date === today ? 'Today · ' : '';
  const title = heading('h2', 'day-title', `${when}${dayLabel(date)}`);
  title.append(heading('span', 'day-count', ''));
  const list = document.createElement('div');
  list.className = 'rows';
  for (const event of dayEvents) {
    let row = rows.get(event.slug);
    if (row) fillRow(row, event);
    else rows.set(event.slug, (row = renderRow(event)));
    list.append(row);
  }
  section.append(title, list);
  return section;
}

// The server's search results from outside the shown days, under their own heading.
function elsewhere(today) {
  const section = document.createElement('section');
  section.className = 'elsewhere';
  section.hidden = !found.size;
  if (!found.size) return section;
  section.append(heading('h2', 'past-heading', 'Found on other days'));
  const days = byDay(found.values());
  [...days.keys()].sort().forEach((date) => section.append(daySection(date, days.get(date), today)));
  return section;
}

function heading(tag, className, text) {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = text;
  return element;
}

function fillShips() {
  const ships = new Map([...events.values()].filter((e) => e.ship_id).map((e) => [e.ship_id, e.ship]));
  const options = [['', 'All ships'], ...[...ships].sort((a, b) => a[1].localeCompare(b[1])), ['none', 'No ship yet']];
  const chosen = shipFilter.value;
  shipFilter.replaceChildren(...options.map(([value, label]) => new Option(label, value)));
  shipFilter.value = options.some(([value]) => value === chosen) ? chosen : '';
  filters.ship = shipFilter.value;
}

function haystack(event) {
  const { patron } = event;
  return [event.slug, patron.first_name, patron.last_name, patron.email, patron.phone, event.title]
    .join(' ').toLowerCase();
}

function passes(event, words) {
  if (!words.every((word) => haystack(event).includes(word))) return false;
  if (filters.unpaid && !isUnpaid(event)) return false;
  if (filters.waivers && !waiversMissing(event)) return false;
  if (filters.conflicts && !hasConflicts(event)) return false;
  if (filters.refunds && !refundDue(event)) return false;
  if (filters.ship === 'none') return !event.ship_id;
  return !filters.ship || event.ship_id === filters.ship;
}

export function setFilter(name, value) {
  filters[name] = value;
  applyFilters();
}

// The search box: the shown days are narrowed at once; the server is asked about every other day after a pause.
export function filter(text) {
  query = text.trim();
  applyFilters();
  clearTimeout(searching);
  if (query.length < 2) {
    if (found.size) {
      found.clear();
      render();
    }
    return;
  }
  searching = setTimeout(() => searchServer(query), SEARCH_AFTER_MS);
}

async function searchServer(text) {
  let page;
  try {
    page = await apiFetch(`/events?${new URLSearchParams({ q: text, limit: 50 })}`);
  } catch {
    return; // the shown days are still searched; a failed look at other days says nothing new
  }
  if (text !== query) return;
  found.clear();
  page.events.filter((event) => !events.has(event.slug)).forEach((event) => found.set(event.slug, event));
  render();
}

function applyFilters() {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  let matching = 0;
  for (const [slug, row] of rows) {
    const event = eventBySlug(slug);
    row.hidden = !event || !passes(event, words);
    if (events.has(slug) && !row.hidden) matching += 1;
  }
  board.querySelectorAll('.day').forEach((section) => {
    const all = section.querySelectorAll('.charter').length;
    const visible = section.querySelectorAll('.charter:not([hidden])').length;
    section.hidden = !visible;
    section.querySelector('.day-count').textContent = visible === all ? plural(all, 'event') : `${visible} of ${plural(all, 'event')}`;
  });
  const pastHeading = board.querySelector(':scope > .past-heading');
  if (pastHeading) pastHeading.hidden = !board.querySelector(':scope > .past-heading ~ .day:not([hidden])');
  const other = board.querySelector('.elsewhere');
  if (other && found.size) other.hidden = !other.querySelector('.charter:not([hidden])');
  if (shown) announce(summary(words, matching));
}

function summary(words, matching) {
  const total = plural(events.size, 'event');
  const narrowed = words.length || Object.values(filters).some(Boolean);
  if (!narrowed) return `${total} from ${dayLabel(shown.from)} to ${dayLabel(shown.to)}.`;
  const what = words.length ? ` match “${query}”` : ' shown';
  const more = [...found.values()].filter((event) => passes(event, words)).length;
  const beyond = more ? ` ${more} more on other days, below.` : '';
  return `${matching} of ${total}${what}.${beyond}`;
}

// A row opens its full card below it (loaded on first use); again, it closes.
export async function toggleCard(row) {
  const open = row.querySelector('.open');
  const slot = row.querySelector('.card-slot');
  if (open.getAttribute('aria-expanded') === 'true') {
    open.setAttribute('aria-expanded', 'false');
    open.removeAttribute('aria-controls'); // it names the card only while the card is there
    slot.replaceChildren();
    return null;
  }
  open.setAttribute('aria-expanded', 'true'); // at once: a second click meanwhile closes, never opens twice
  const { renderCard } = await import('./card.js');
  const card = await renderCard(() => eventBySlug(row.dataset.slug));
  if (open.getAttribute('aria-expanded') === 'true') {
    slot.replaceChildren(card);
    open.setAttribute('aria-controls', card.id);
  }
  return card;
}
