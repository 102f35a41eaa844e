// Wiring: sign-in, the header's controls and shortcuts, the poll, and the rows and cards (one listener for all).
// Forms, cards and panels are modules loaded on first use.
import { apiFetch, logIn, logOut, token, whenSignedOut } from './api.js';
import { clearBoard, eventBySlug, filter, forgetEvent, loadBoard, refreshBoard, rowBySlug, setFilter, shownRange,
  toggleCard, updateEvent } from './board.js';
import { busy, clearErrors, fieldError, focusFirstInvalid } from './forms.js';
import { addDays, dayLabel, isoDay, money, periodWords, setChoices } from './format.js';
import { dropSuspended, resumeModal, suspendModal } from './modal.js';
import { copyLink, hideBanner, showBanner, toast } from './notice.js';

const WINDOW_DAYS = 28;
const POLL_MS = 10_000; // what changed elsewhere shows within this, whatever the tab did meanwhile
const IDLE_POLL_MS = 20_000; // nobody at the board: still within the 30 s a change elsewhere must show in
const IDLE_AFTER_MS = 5 * 60_000; // no input on the page this long: the dispatcher has stepped away
const INPUTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const $ = (id) => document.getElementById(id);
const login = $('login');
const loginForm = $('login-form');
const app = $('app');
const rangeForm = $('range');
const board = $('board');
const search = $('search');
let pollTimer = null;
let lastInput = Date.now();

function showLogin(note) {
  suspendModal();
  $('login-note').textContent = note;
  app.hidden = true;
  login.hidden = false;
  loginForm.elements.password.focus();
}

function enterBoard() {
  login.hidden = true;
  app.hidden = false;
  const resumed = resumeModal();
  loadChoices().then(() => load(rangeAsked()));
  checkMail(); // then every poll's answer says how the mail and the waiver stand
  if (pollTimer === null) schedulePoll();
  if (!resumed) search.focus();
}

// Every 10 s while someone uses the page, every 20 s after 5 minutes without input; an input after that polls at
// once and goes back to every 10 s.
function schedulePoll() {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(() => {
    poll();
    schedulePoll();
  }, idle() ? IDLE_POLL_MS : POLL_MS);
}

function idle() {
  return Date.now() - lastInput >= IDLE_AFTER_MS;
}

function onInput() {
  const wasIdle = idle();
  lastInput = Date.now();
  if (!wasIdle || pollTimer === null) return;
  poll();
  schedulePoll();
}

function poll() {
  if (document.hidden || !token()) return;
  refreshBoard(heardHealth).catch(() => {}); // a failed poll is tried again at the next
}

// The range in the From/To boxes (what was asked last, even if a 401 cut its loading short), else the address.
function rangeAsked() {
  const asked = { from: rangeForm.elements.from.value, to: rangeForm.elements.to.value };
  if (DAY.test(asked.from) && DAY.test(asked.to)) return asked;
  const params = new URLSearchParams(window.location.search);
  const from = DAY.test(params.get('from')) ? params.get('from') : isoDay(new Date());
  const to = DAY.test(params.get('to')) && params.get('to') >= from ? params.get('to') : addDays(from, WINDOW_DAYS - 1);
  return { from, to };
}

async function load(range) {
  rangeForm.elements.from.value = range.from;
  rangeForm.elements.to.value = range.to;
  hideBanner();
  try {
    await loadBoard(range);
  } catch (error) {
    if (error.status !== 401) showBanner(error.message, () => load(range));
  }
}

// The operator's own periods and payment methods (SCC_PERIODS, SCC_PAYMENT_METHODS) replace the defaults.
async function loadChoices() {
  const choices = await apiFetch('/config').catch(() => null);
  if (choices) setChoices(choices);
}

// Mail that cannot go out (e.g. Gmail's token was revoked) waits in the outbox, and guests cannot sign before the
// operator sets the waiver text; say so until it is fixed.
async function checkMail() {
  const health = await fetch('/healthz').then((answer) => answer.json()).catch(() => null);
  showHealth(health?.mail?.waiting_for_credentials ?? 0, health?.mail?.transport, health?.waiver_ready);
}

// The poll's answer carries the same in headers (SCC-Mail-Waiting, SCC-Mail-Transport, SCC-Waiver-Ready);
// an answer without them leaves the warnings as they are.
function heardHealth(headers) {
  const waiting = headers?.get('SCC-Mail-Waiting');
  if (waiting === null || waiting === undefined) return;
  showHealth(Number(waiting), headers.get('SCC-Mail-Transport'), headers.get('SCC-Waiver-Ready') !== 'false');
}

function showHealth(waiting, transport, waiverReady) {
  const warning = $('mail-warning');
  warning.textContent = `${waiting} email${waiting === 1 ? ' is' : 's are'} waiting: the mail transport `
    + `(${transport}) has no usable credentials. Run scc mail gmail-auth; they then go out by themselves.`;
  warning.hidden = !waiting;
  $('waiver-warning').hidden = waiverReady !== false;
}

function defaultDay() {
  const today = isoDay(new Date());
  const range = shownRange();
  return !range || (today >= range.from && today <= range.to) ? today : range.from;
}

function minutes(retryAfter) {
  const count = Math.max(1, Math.ceil(Number(retryAfter || 60) / 60));
  return count === 1 ? 'a minute' : `${count} minutes`;
}

async function signIn() {
  clearErrors(loginForm);
  const password = loginForm.elements.password.value;
  if (!password) {
    fieldError(loginForm, 'password', 'Enter the admin password.');
    focusFirstInvalid(loginForm);
    return;
  }
  try {
    await logIn(password);
  } catch (error) {
    const message = error.status === 429 ? `Too many attempts. Try again in ${minutes(error.retryAfter)}.` : error.message;
    fieldError(loginForm, 'password', message);
    focusFirstInvalid(loginForm);
    return;
  }
  loginForm.reset();
  enterBoard();
}

async function signOut() {
  try {
    await logOut();
  } catch {
    // signed out here either way; the token is forgotten
  }
  dropSuspended();
  if ($('event-modal')) (await import('./booking.js')).resetBooking();
  clearBoard();
  showLogin('Signed out.');
}

async function onBooked(created) {
  const range = shownRange();
  if (range && created.date >= range.from && created.date <= range.to) await updateEvent(created);
  rowBySlug(created.slug)?.scrollIntoView({ block: 'center' });
  const told = created.patron.email ? ` The confirmation goes to ${created.patron.email}.` : '';
  toast(`Booked ${created.slug}.${told}`);
}

function onEdited(event, { stale = false } = {}) {
  updateEvent(event);
  if (!stale) toast(`Saved ${event.slug}.`);
}

function onCancelled(event) {
  updateEvent(event);
  const refund = event.refund_due_cents ? ` Refund due: ${money(event.refund_due_cents)}.` : '';
  toast(`Cancelled ${event.slug}.${refund}${event.patron.email ? ' The patron is emailed.' : ''}`);
}

function onMoved(event, before) {
  if (event.slug !== before.slug) forgetEvent(before.slug);
  updateEvent(event);
  const range = shownRange();
  const away = range && (event.date < range.from || event.date > range.to) ? ' (outside the days shown)' : '';
  const conflicts = event.conflicts.length ? ` ⚠ ${event.conflicts.length} conflict(s) there: see its card.` : '';
  toast(`Moved to ${dayLabel(event.date)}, ${periodWords(event.period)}${away}: now ${event.slug}.${conflicts}`);
}

async function sendLink(event) {
  try {
    const sent = await apiFetch(`/events/${encodeURIComponent(event.slug)}/send-link`, { method: 'POST' });
    toast(`The party’s link is on its way to ${sent.patron.email}.`);
  } catch (error) {
    if (error.status !== 401) toast(`Not sent: ${error.message}`);
  }
}

const ACTIONS = {
  pay: (event) => import('./payment.js').then((m) => m.openPayment(event)),
  history: (event) => import('./history.js').then((m) => m.openHistory(event)),
  waivers: (event) => import('./waivers.js').then((m) => m.openWaivers(event, updateEvent, (count) => {
    const now = eventBySlug(event.slug);
    if (now && now.waivers_signed !== count) updateEvent({ ...now, waivers_signed: count });
  })),
  assign: (event) => import('./assign.js').then((m) => m.openAssign(event)),
  edit: (event) => import('./booking.js').then((m) => m.openEdit(event, onEdited)),
  reschedule: (event) => import('./change.js').then((m) => m.openReschedule(event, onMoved)),
  cancel: (event) => import('./change.js').then((m) => m.openCancel(event, onCancelled)),
  'send-link': sendLink,
};

function onBoardClick(event) {
  const button = event.target.closest('button[data-action]');
  const card = button?.closest('.card');
  if (card) {
    const action = button.dataset.action;
    if (action === 'copy') copyLink(button, card.querySelector('.guest-link'));
    else ACTIONS[action]?.(eventBySlug(card.dataset.slug));
    return;
  }
  const row = event.target.closest('.row');
  if (row && !event.target.closest('a, button:not(.open)')) toggleCard(row.closest('.charter'));
}

// `/` goes to the search, `n` opens New event, unless typing somewhere or a modal is open.
function onKey(event) {
  if (app.hidden || event.ctrlKey || event.metaKey || event.altKey || document.querySelector('.modal.active')) return;
  if (event.target.closest('input, textarea, select, [contenteditable]')) return;
  if (event.key === '/') {
    event.preventDefault();
    search.focus();
    search.select();
  } else if (event.key === 'n') {
    event.preventDefault();
    openNew();
  }
}

function openNew() {
  import('./booking.js').then((m) => m.openBooking(defaultDay(), onBooked));
}

whenSignedOut(() => showLogin('Your session has ended. Sign in again; what you typed is kept.'));
loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  busy(loginForm, signIn, 'Signing in…');
});
rangeForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const from = rangeForm.elements.from.value;
  const to = rangeForm.elements.to.value;
  if (!DAY.test(from) || !DAY.test(to) || to < from) {
    showBanner('Choose a start date and an end date on or after it.');
    return;
  }
  window.history.replaceState(null, '', `?from=${from}&to=${to}`);
  load({ from, to });
});
search.addEventListener('input', () => filter(search.value));
document.querySelector('.filters').addEventListener('click', (event) => {
  const chip = event.target.closest('button[data-filter]');
  if (!chip) return;
  const on = chip.getAttribute('aria-pressed') !== 'true';
  chip.setAttribute('aria-pressed', String(on));
  setFilter(chip.dataset.filter, on);
});
$('ship-filter').addEventListener('change', (event) => setFilter('ship', event.target.value));
$('menu').addEventListener('click', (event) => {
  const open = $('more').classList.toggle('open');
  event.currentTarget.setAttribute('aria-expanded', String(open));
});
$('new-event').addEventListener('click', openNew);
$('sign-out').addEventListener('click', signOut);
$('day-view').addEventListener('click', () => import('./lanes.js').then((m) => m.openDay(defaultDay())));
$('roster').addEventListener('click', () => import('./roster.js').then((m) => m.openRoster()));
$('weather-call').addEventListener('click', () => import('./weather.js').then((m) => m.openWeatherCall(defaultDay())));
board.addEventListener('click', onBoardClick);
board.addEventListener('toggle', (event) => {
  if (event.target.matches('details.qr')) import('./card.js').then((m) => m.drawQr(event.target));
}, true);
document.addEventListener('keydown', onKey);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) lastInput = Date.now(); // back at the board: as good as an input
  poll();
});
INPUTS.forEach((name) => document.addEventListener(name, onInput, { capture: true, passive: true }));

if (token()) enterBoard();
else showLogin('Sign in to the dispatch board.');
