// The roster panel, loaded on first use: list, add, edit and retire ships and people, give a person a new
// calendar link, and show or replace their day sheet link. The server checks every field; its error is shown on the field it names. Names go in through
// textContent.
import { apiFetch } from './api.js';
import { daySheetControls } from './day-sheet-link.js';
import { busy, clearErrors, fieldError, focusFirstInvalid, showError } from './forms.js';
import { openSchedule } from './lanes.js';
import { el, panel, panelError } from './panel.js';

const SHIP = [['name', 'Ship name'], ['capacity', 'Capacity (passengers)', { inputMode: 'numeric' }]];
const PERSON = [['name', 'Name'], ['role', 'Role'], ['email', 'Email', { type: 'email' }], ['phone', 'Phone', { type: 'tel' }],
  ['licence_expires', 'Licence expires', { type: 'date' }], ['medical_expires', 'Medical expires', { type: 'date' }]];
let parts = null;

export async function openRoster() {
  parts = panel('roster-modal', 'Roster');
  parts.body.replaceChildren(el('p', { className: 'status', textContent: 'Loading…' }));
  await refresh();
}

async function refresh() {
  try {
    show(await apiFetch('/roster'));
  } catch (error) {
    panelError(parts, error);
  }
}

function show(roster) {
  const ships = editor('ship', SHIP, '/ships', (s) => `${s.name} · ${s.capacity} passengers`);
  const people = editor('person', PERSON, '/people', (p) => [p.name, p.role, p.email, p.phone,
    p.licence_expires && `licence to ${p.licence_expires}`, p.medical_expires && `medical to ${p.medical_expires}`].filter(Boolean).join(' · '));
  parts.body.replaceChildren(el('h3', { textContent: 'Ships' }), ships.list(roster.ships), ships.form,
    el('h3', { textContent: 'Captains and crew' }), people.list(roster.people), people.form);
}

// A list of entries, each with Edit, Retire (and Schedule for people), and the form that adds or edits one.
function editor(kind, fields, path, describe) {
  const form = el('form', { className: `roster-form ${kind}-form`, noValidate: true });
  form.append(...fields.map(([name, label, props]) => field(kind, name, label, props)),
    el('div', { className: 'modal-actions' }, el('button', { type: 'reset', className: 'quiet', textContent: 'Clear' }),
      el('button', { type: 'submit', className: 'primary', textContent: `Add ${kind}` })));
  const submit = form.querySelector('[type="submit"]');
  form.addEventListener('reset', () => { delete form.dataset.id; submit.textContent = `Add ${kind}`; clearErrors(form); });
  form.addEventListener('submit', (sent) => { sent.preventDefault(); busy(form, () => save(form, fields, path)); });
  const list = (entries) => el('ul', { className: 'roster-list' }, ...entries.map((entry) => {
    const edit = el('button', { type: 'button', className: 'quiet small', textContent: 'Edit' });
    edit.addEventListener('click', () => {
      form.reset();
      form.dataset.id = entry.id;
      fields.forEach(([name]) => { form.elements[name].value = entry[name] ?? ''; });
      submit.textContent = `Save ${kind}`;
      form.elements.name.focus();
    });
    const schedule = kind === 'person' && el('button', { type: 'button', className: 'quiet small', textContent: 'Schedule' });
    if (schedule) schedule.addEventListener('click', () => openSchedule(entry.id));
    const rotate = kind === 'person' && el('button', { type: 'button', className: 'quiet small', textContent: 'New calendar link' });
    if (rotate) rotate.addEventListener('click', () => rotateCalendar(entry));
    const retire = el('button', { type: 'button', className: 'quiet small', textContent: 'Retire' });
    retire.addEventListener('click', () => retireEntry(path, entry));
    const sheet = kind === 'person' ? daySheetControls(entry, (error) => panelError(parts, error)) : [];
    return el('li', {}, el('span', { textContent: describe(entry) }), edit, schedule, rotate, retire, ...sheet);
  }));
  return { form, list };
}

function field(kind, name, label, props = {}) {
  const id = `ro-${kind}-${name}`;
  const control = name === 'role'
    ? el('select', { id, name }, new Option('Captain', 'captain'), new Option('Crew', 'crew'))
    : el('input', { id, name, autocomplete: 'off', ...props });
  return el('div', { className: 'field' }, el('label', { htmlFor: id, textContent: label }), control, el('p', { className: 'field-error' }));
}

// Off the lists, after a confirmation; the server refuses while upcoming charters need the entry, and says which.
async function retireEntry(path, entry) {
  if (!window.confirm(`Retire ${entry.name}? Past charters keep the name; it leaves the lists.`)) return;
  try {
    await apiFetch(`${path}/${encodeURIComponent(entry.id)}`, { method: 'DELETE' });
  } catch (error) {
    panelError(parts, error);
    return;
  }
  parts.error.hidden = true;
  await refresh();
}

// A leaked calendar link is replaced: the old one answers 404 at once; the new one is shown to send on.
async function rotateCalendar(entry) {
  if (!window.confirm(`Give ${entry.name} a new calendar link? The old one stops working at once.`)) return;
  let person;
  try {
    person = await apiFetch(`/people/${encodeURIComponent(entry.id)}/calendar/rotate`, { method: 'POST' });
  } catch (error) {
    panelError(parts, error);
    return;
  }
  parts.error.hidden = true;
  await refresh();
  const address = new URL(person.calendar_url, window.location.href).href;
  parts.body.prepend(el('p', { className: 'status calendar-link', textContent: `${person.name}'s new calendar link: ${address}` }));
}

// What the server would refuse, said in the dispatcher's words before it is sent.
function problems(body, path) {
  const found = [];
  if (!body.name) found.push(['name', path === '/ships' ? 'Enter the ship’s name.' : 'Enter the person’s name.']);
  if ('capacity' in body && !(/^\d{1,3}$/.test(body.capacity) && body.capacity >= 1 && body.capacity <= 500)) {
    found.push(['capacity', 'Enter the capacity: how many passengers it takes, a whole number like 12.']);
  }
  return found;
}

async function save(form, fields, path) {
  clearErrors(form);
  const body = Object.fromEntries(fields.map(([name]) => [name, form.elements[name].value.trim()]));
  const found = problems(body, path);
  if (found.length) {
    found.forEach(([name, message]) => fieldError(form, name, message));
    focusFirstInvalid(form);
    return;
  }
  if ('capacity' in body) body.capacity = Number(body.capacity);
  ['licence_expires', 'medical_expires'].forEach((name) => { if (body[name] === '') body[name] = null; });
  const id = form.dataset.id;
  try {
    await apiFetch(id ? `${path}/${encodeURIComponent(id)}` : path, { method: id ? 'PATCH' : 'POST', body });
  } catch (error) {
    if (error.status !== 401) showError(form, error);
    return;
  }
  await refresh();
}
