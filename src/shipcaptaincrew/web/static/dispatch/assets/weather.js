// The weather call from the board (loaded on first use): pick a day and its periods, cancel or move; the preview
// (the server's dry run) lists each charter, who would be emailed and the money, and only then can it be sent.
// A cancelled charter cannot be brought back from here, so the send button says exactly what it will do, and it
// sends only what was previewed: changing anything hides it until the next preview.
import { apiFetch } from './api.js';
import { eventBySlug, refreshBoard } from './board.js';
import { dialog } from './dialogs.js';
import { busy, clearErrors, fieldError, focusFirstInvalid, formMessage, value } from './forms.js';
import { dayLabel, money, periodNames, periodWords, plural } from './format.js';
import { openModal } from './modal.js';
import { toast } from './notice.js';
import { patronName } from './rows.js';

const modal = await dialog('weather-modal', 'charter-day.html');
const form = modal.querySelector('form');
const outcome = modal.querySelector('.wx-outcome');
const send = modal.querySelector('.wx-send');
const previewButton = modal.querySelector('.wx-preview');
const periodsError = modal.querySelector('#wx-periods-error');
const DAY = /^\d{4}-\d{2}-\d{2}$/;
let previewed = null; // {body, outcomes}: what the shown preview was asked with

export function openWeatherCall(day) {
  form.reset();
  clearErrors(form);
  clearPeriodsError();
  forgetPreview();
  previewButton.hidden = false;
  modal.querySelector('.wx-choices').replaceChildren(...periodNames().map(periodChoice));
  form.elements.to_period.replaceChildren(new Option('Each keeps its period', ''),
    ...periodNames().map((name) => new Option(periodWords(name), name)));
  form.elements.date.value = day;
  showMoveFields();
  openModal(modal, { focus: form.elements.date });
}

function periodChoice(name) {
  const label = document.createElement('label');
  label.className = 'check';
  const box = Object.assign(document.createElement('input'), { type: 'checkbox', name: 'periods', value: name });
  box.setAttribute('aria-describedby', periodsError.id);
  label.append(box, ` ${periodWords(name)}`);
  return label;
}

const moving = () => form.elements.action.value === 'reschedule';

function showMoveFields() {
  modal.querySelector('.wx-move').hidden = !moving();
}

// The call as the API takes it, or null after marking what is missing.
function readCall() {
  const date = value(form, 'date');
  const periods = [...form.querySelectorAll('input[name="periods"]:checked')].map((box) => box.value);
  const reason = value(form, 'reason');
  const call = { date, periods, action: form.elements.action.value, reason };
  if (!DAY.test(date)) fieldError(form, 'date', 'Choose the day of the call.');
  if (!periods.length) periodsProblem('Choose at least one period.');
  if (!reason) fieldError(form, 'reason', 'Say why, in words for the patrons: they are emailed it.');
  if (moving()) {
    call.to_date = value(form, 'to_date');
    if (value(form, 'to_period')) call.to_period = value(form, 'to_period');
    if (!DAY.test(call.to_date)) fieldError(form, 'to_date', 'Choose the day to move them to.');
  }
  const invalid = form.querySelector('[aria-invalid="true"]');
  if (!invalid) return call;
  invalid.focus();
  return null;
}

function periodsProblem(message) {
  periodsError.textContent = message;
  form.querySelectorAll('input[name="periods"]').forEach((box) => box.setAttribute('aria-invalid', 'true'));
}

function clearPeriodsError() {
  periodsError.textContent = '';
}

async function preview() {
  clearErrors(form);
  clearPeriodsError();
  forgetPreview();
  const body = readCall();
  if (!body) return;
  const answer = await ask({ ...body, dry_run: true });
  if (!answer) return;
  previewed = { body, outcomes: answer.charters };
  show(answer, previewTitle(body, answer));
  const count = answer.charters.length;
  send.hidden = !count;
  send.textContent = `${moving() ? 'Move' : 'Cancel'} ${plural(count, 'charter')} and send ${plural(answer.totals.emails, 'email')}`;
}

async function makeCall() {
  if (!previewed) return;
  const { body, outcomes } = previewed;
  const answer = await ask(body);
  if (!answer) return;
  forgetPreview();
  previewButton.hidden = true; // done: what is left is to read the summary and close
  const unexpected = answer.charters.filter((done) => !outcomes.some((seen) => seen.slug === done.slug)).length;
  const note = unexpected ? ` ${plural(unexpected, 'charter')} booked since the preview were included.` : '';
  show(answer, `${doneTitle(answer)}${note}`);
  refreshBoard().catch(() => {}); // the rows follow now; the poll would within seconds anyway
  toast(`Weather call made: ${doneTitle(answer)}`);
}

// POST the call; the answer, or null after showing what the server refused (on its field when the form has it).
async function ask(body) {
  try {
    return await apiFetch('/weather-call', { method: 'POST', body });
  } catch (error) {
    if (error.status === 401) return null; // the modal waits, as typed, for the sign-in
    if (error.field === 'periods') periodsProblem(error.message);
    else if (!fieldError(form, error.field, error.message)) formMessage(form, error.message);
    focusFirstInvalid(form);
    return null;
  }
}

function previewTitle(body, answer) {
  const when = `${dayLabel(body.date)}, ${body.periods.map(periodWords).join(' and ')}`;
  if (!answer.charters.length) return `No live charter on ${when}: nothing to call off.`;
  const verb = body.action === 'cancel' ? 'would be cancelled' : 'would be moved';
  return `${plural(answer.charters.length, 'charter')} on ${when} ${verb}. Nothing has changed yet.`;
}

function doneTitle(answer) {
  const counts = {};
  answer.charters.forEach((done) => { counts[done.result] = (counts[done.result] ?? 0) + 1; });
  const parts = Object.entries(counts).map(([result, count]) => `${count} ${result}`);
  return `${parts.join(', ') || 'nothing to change'}; ${plural(answer.totals.emails, 'email')} queued.`;
}

function show(answer, title) {
  outcome.hidden = false;
  outcome.querySelector('h3').textContent = title;
  outcome.querySelector('.wx-charters').replaceChildren(...answer.charters.map(charterLine));
  const { totals } = answer;
  const refunds = totals.refund_due_cents ? ` · ${money(totals.refund_due_cents)} to refund or keep as rain checks` : '';
  outcome.querySelector('.wx-totals').textContent = `${plural(totals.charters, 'charter')} · `
    + `${plural(totals.emails, 'email')}${refunds}${totals.failed ? ` · ${totals.failed} failed` : ''}`;
  outcome.querySelector('h3').focus();
}

// One charter of the answer: who it is, what happens to it, the money, and who is told.
function charterLine(done) {
  const item = document.createElement('li');
  item.className = `wx-charter ${done.result.replace(' ', '-')}`;
  const known = eventBySlug(done.slug);
  const who = known ? `${patronName(known)}, ${plural(known.party_size, 'guest')}` : '';
  const head = document.createElement('p');
  head.className = 'wx-what';
  head.textContent = [done.slug, who, done.result, done.new_slug && `now ${done.new_slug}`].filter(Boolean).join(' · ');
  const paid = done.paid_cents ? `Paid ${money(done.paid_cents)}` : 'Nothing paid';
  const refund = done.refund_due_cents ? `, refund due ${money(done.refund_due_cents)}` : '';
  const told = done.emailed.length ? `Emails ${done.emailed.join(', ')}` : 'Nobody to email: no address on file';
  const detail = document.createElement('p');
  detail.className = 'wx-detail';
  detail.textContent = [`${paid}${refund}.`, `${told}.`, done.conflicts.length && `⚠ ${done.conflicts.join('; ')}.`,
    done.error && `Not changed: ${done.error}.`].filter(Boolean).join(' ');
  item.append(head, detail);
  return item;
}

// Anything changed after a preview makes it stale: it goes, with the send button, until the next one.
function forgetPreview() {
  previewed = null;
  send.hidden = true;
  outcome.hidden = true;
}

form.addEventListener('input', () => {
  if (previewed) forgetPreview();
  previewButton.hidden = false;
  clearPeriodsError();
  showMoveFields();
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  busy(form, preview, 'Looking…');
});
send.addEventListener('click', () => {
  if (send.disabled) return;
  send.disabled = true;
  const label = send.textContent;
  send.textContent = 'Sending…';
  makeCall().finally(() => {
    send.disabled = false;
    send.textContent = label;
  });
});
