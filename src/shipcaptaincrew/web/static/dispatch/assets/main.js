// Wiring: sign-in, the range and search controls, and the buttons on the cards (one listener for all).
import { apiFetch, logIn, logOut, token, whenSignedOut } from './api.js';
import { cardBySlug, clearBoard, eventBySlug, filter, loadBoard, shownRange, updateEvent } from './board.js';
import { openBooking, resetBooking, whenBooked } from './booking.js';
import { drawQr } from './card.js';
import { busy, clearErrors, fieldError, focusFirstInvalid } from './forms.js';
import { addDays, isoDay, periodLabel } from './format.js';
import { openHistory } from './history.js';
import { dropSuspended, resumeModal, suspendModal } from './modal.js';
import { announce, hideBanner, showBanner } from './notice.js';
import { openPayment } from './payment.js';

const WINDOW_DAYS = 28;
const MAIL_CHECK_MS = 60_000; // mail is sent by another process after the answer: look again now and then
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const login = document.getElementById('login');
const loginForm = document.getElementById('login-form');
const app = document.getElementById('app');
const rangeForm = document.getElementById('range');
const board = document.getElementById('board');
let mailCheck = null;

function showLogin(note) {
  suspendModal();
  document.getElementById('login-note').textContent = note;
  app.hidden = true;
  login.hidden = false;
  loginForm.elements.password.focus();
}

function enterBoard() {
  login.hidden = true;
  app.hidden = false;
  const resumed = resumeModal();
  load(rangeAsked());
  loadChoices();
  checkMail();
  mailCheck ??= setInterval(checkMail, MAIL_CHECK_MS);
  if (!resumed) document.getElementById('search').focus();
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
  if (!choices) return;
  fill('ev-period', choices.periods.map((p) => [p.name, `${periodLabel(p.name)} (${p.starts}–${p.ends})`]));
  fill('pay-method', [['', 'Choose…'], ...choices.payment_methods.map((m) => [m, m[0].toUpperCase() + m.slice(1)])]);
}

// Mail that cannot go out (e.g. Gmail's token was revoked) waits in the outbox, and guests cannot sign before the
// operator sets the waiver text; say so until it is fixed.
async function checkMail() {
  const health = await fetch('/healthz').then((answer) => answer.json()).catch(() => null);
  const waiting = health?.mail?.waiting_for_credentials ?? 0;
  const warning = document.getElementById('mail-warning');
  warning.textContent = `${waiting} email${waiting === 1 ? ' is' : 's are'} waiting: the mail transport `
    + `(${health?.mail?.transport}) has no usable credentials. Run scc mail gmail-auth; they then go out by themselves.`;
  warning.hidden = !waiting;
  document.getElementById('waiver-warning').hidden = health?.waiver_ready !== false;
}

function fill(id, options) {
  const select = document.getElementById(id);
  const chosen = select.value;
  select.replaceChildren(...options.map(([value, label]) => new Option(label, value)));
  if (options.some(([value]) => value === chosen)) select.value = chosen;
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
  resetBooking();
  clearBoard();
  showLogin('Signed out.');
}

async function copyLink(button, card) {
  const link = card.querySelector('.guest-link');
  try {
    await navigator.clipboard.writeText(link.href);
    button.textContent = 'Copied';
  } catch {
    window.getSelection().selectAllChildren(link); // no clipboard access: select it for Ctrl+C
    button.textContent = 'Press Ctrl+C';
  }
  setTimeout(() => { button.textContent = 'Copy link'; }, 2000);
}

function onCardClick(event) {
  const button = event.target.closest('button[data-action]');
  const card = button?.closest('.card');
  if (!card) return;
  const found = eventBySlug(card.dataset.slug);
  const action = button.dataset.action;
  if (action === 'pay') openPayment(found);
  else if (action === 'history') openHistory(found);
  else if (action === 'waivers') import('./waivers.js').then((module) => module.openWaivers(found, updateEvent));
  else if (action === 'assign') import('./assign.js').then((module) => module.openAssign(found));
  else if (action === 'copy') copyLink(button, card);
}

async function onBooked(created) {
  const range = shownRange();
  if (range && created.date >= range.from && created.date <= range.to) {
    await load(range);
    const card = cardBySlug(created.slug);
    card?.classList.add('fresh');
    card?.scrollIntoView({ block: 'center' });
    card?.querySelector('button:not([hidden])')?.focus();
  }
  announce(`Booked ${created.slug}.`);
}

whenSignedOut(() => showLogin('Your session has ended. Sign in again; what you typed is kept.'));
whenBooked(onBooked);
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
document.getElementById('search').addEventListener('input', (event) => filter(event.target.value));
document.getElementById('new-event').addEventListener('click', () => openBooking(defaultDay()));
document.getElementById('sign-out').addEventListener('click', signOut);
document.getElementById('day-view').addEventListener('click', () => import('./lanes.js').then((m) => m.openDay(defaultDay())));
document.getElementById('roster').addEventListener('click', () => import('./roster.js').then((m) => m.openRoster()));
board.addEventListener('click', onCardClick);
board.addEventListener('toggle', (event) => { if (event.target.matches('details.qr')) drawQr(event.target); }, true);

if (token()) enterBoard();
else showLogin('Sign in to the dispatch board.');
