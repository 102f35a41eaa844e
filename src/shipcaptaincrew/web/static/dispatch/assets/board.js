// The board: the events of a date range, grouped by day (upcoming first, then earlier days, latest
// first), filtered by the search box. Cards come from card.js and are updated there, in place.
import { apiFetch } from './api.js';
import { fillCard, renderCard } from './card.js';
import { dayLabel, isoDay } from './format.js';
import { announce } from './notice.js';

const PAGE = 500;
const board = document.getElementById('board');
const events = new Map(); // slug → EventOut, in the server's order
const cards = new Map(); // slug → card element
const haystacks = new Map(); // slug → lower-case text the search looks in
let shown = null; // the range on the board
let generation = 0;
let query = '';

export function shownRange() {
  return shown;
}

export function eventBySlug(slug) {
  return events.get(slug);
}

export function cardBySlug(slug) {
  return cards.get(slug);
}

// Fetch every page of the range, then draw it; a newer load makes an older one give up.
export async function loadBoard(range) {
  const ticket = ++generation;
  board.setAttribute('aria-busy', 'true');
  if (!shown || shown.from !== range.from || shown.to !== range.to) placeholder('Loading events…');
  try {
    const found = [];
    let cursor = null;
    do {
      const params = new URLSearchParams({ from: range.from, to: range.to, limit: PAGE });
      if (cursor) params.set('cursor', cursor);
      const page = await apiFetch(`/events?${params}`);
      if (ticket !== generation) return;
      found.push(...page.events);
      cursor = page.next_cursor;
    } while (cursor);
    shown = range;
    events.clear();
    found.forEach((event) => events.set(event.slug, event));
    render();
  } catch (error) {
    const waiting = board.querySelector('.placeholder');
    if (ticket === generation && waiting) waiting.textContent = 'The events could not be loaded.';
    throw error;
  } finally {
    if (ticket === generation) board.removeAttribute('aria-busy');
  }
}

export function clearBoard() {
  generation += 1;
  shown = null;
  events.clear();
  cards.clear();
  board.replaceChildren();
}

// A changed snapshot from the server (a payment, a reversal): update its card in place.
export function updateEvent(event) {
  events.set(event.slug, event);
  haystacks.set(event.slug, haystack(event));
  const card = cards.get(event.slug);
  if (card) fillCard(card, event);
}

function placeholder(text) {
  cards.clear();
  delete document.body.dataset.board;
  board.replaceChildren(heading('p', 'placeholder', text));
}

function render() {
  const today = isoDay(new Date());
  const days = new Map();
  for (const event of events.values()) {
    if (!days.has(event.date)) days.set(event.date, []);
    days.get(event.date).push(event);
  }
  const dates = [...days.keys()].sort();
  const upcoming = dates.filter((date) => date >= today);
  const earlier = dates.filter((date) => date < today).reverse();
  const fragment = document.createDocumentFragment();
  cards.clear();
  haystacks.clear();
  upcoming.forEach((date) => fragment.append(daySection(date, days.get(date))));
  if (earlier.length) fragment.append(heading('h2', 'past-heading', 'Earlier days'));
  earlier.forEach((date) => fragment.append(daySection(date, days.get(date))));
  if (!events.size) fragment.append(heading('p', 'empty', `No events from ${dayLabel(shown.from)} to ${dayLabel(shown.to)}.`));
  board.replaceChildren(fragment);
  filter(query);
  document.body.dataset.board = 'ready';
  performance.mark('board-rendered');
}

function daySection(date, dayEvents) {
  const section = document.createElement('section');
  section.className = 'day';
  section.dataset.date = date;
  const count = dayEvents.length === 1 ? '1 event' : `${dayEvents.length} events`;
  const title = heading('h2', 'day-title', dayLabel(date));
  title.append(heading('span', 'day-count', count));
  const list = document.createElement('div');
  list.className = 'cards';
  for (const event of dayEvents) {
    const card = renderCard(event);
    cards.set(event.slug, card);
    haystacks.set(event.slug, haystack(event));
    list.append(card);
  }
  section.append(title, list);
  return section;
}

function heading(tag, className, text) {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = text;
  return element;
}

function haystack(event) {
  const { patron } = event;
  return [event.slug, patron.first_name, patron.last_name, patron.email, patron.phone, event.title]
    .join(' ').toLowerCase();
}

// Show only the cards whose slug, patron or title hold every word typed.
export function filter(text) {
  query = text;
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  let matching = 0;
  for (const [slug, card] of cards) {
    const found = words.every((word) => haystacks.get(slug).includes(word));
    card.hidden = !found;
    matching += found ? 1 : 0;
  }
  board.querySelectorAll('.day').forEach((section) => {
    section.hidden = !section.querySelector('.card:not([hidden])');
  });
  const pastHeading = board.querySelector('.past-heading');
  if (pastHeading) pastHeading.hidden = !board.querySelector('.past-heading ~ .day:not([hidden])');
  if (!shown) return;
  const total = cards.size === 1 ? '1 event' : `${cards.size} events`;
  announce(words.length ? `${matching} of ${total} match “${text.trim()}”.` : `${total} from ${dayLabel(shown.from)} to ${dayLabel(shown.to)}.`);
}
