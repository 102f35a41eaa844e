// The day view (a lane per ship, then the charters with no ship yet) and a person's upcoming schedule,
// loaded on first use. Every event shown carries its conflict badge and messages, as on its card.
import { apiFetch } from './api.js';
import { conflictBadge, conflictNote } from './card.js';
import { addDays, dayLabel, periodLabel } from './format.js';
import { el, panel, panelError } from './panel.js';

let day = null;
let parts = null;

export async function openDay(date) {
  day = date;
  parts = panel('day-modal', 'Day view');
  const picker = el('input', { type: 'date', value: date, name: 'day' });
  picker.setAttribute('aria-label', 'Day');
  picker.addEventListener('change', () => { if (picker.value) openDay(picker.value); });
  const step = (days, text) => {
    const button = el('button', { type: 'button', className: 'quiet small', textContent: text });
    button.addEventListener('click', () => openDay(addDays(day, days)));
    return button;
  };
  parts.sub.replaceChildren(step(-1, '← Previous day'), picker, step(1, 'Next day →'));
  parts.body.replaceChildren(el('p', { className: 'status', textContent: 'Loading…' }));
  try {
    const [page, roster] = await Promise.all([apiFetch(`/events?from=${date}&to=${date}&limit=500`), apiFetch('/roster')]);
    if (day === date) parts.body.replaceChildren(lanes(page.events, roster.ships));
  } catch (error) {
    panelError(parts, error);
  }
}

function lanes(events, ships) {
  const lane = (title, shown) => el('section', { className: 'lane' }, el('h3', { textContent: title }),
    ...(shown.length ? shown.map((event) => item(event)) : [el('p', { className: 'empty', textContent: 'Free' })]));
  const unassigned = events.filter((e) => !e.ship_id);
  return el('div', { className: 'lanes' },
    ...ships.map((s) => lane(`${s.name} (${s.capacity})`, events.filter((e) => e.ship_id === s.id))),
    unassigned.length ? lane('No ship yet', unassigned) : null);
}

function item(event, role = '') {
  const status = event.status === 'booked' ? '' : ` · ${event.status}`;
  const who = [event.captain_id && person(event.captain_id, `Captain ${event.captain}`),
    ...event.crew_ids.map((id, i) => person(id, event.crew[i]))];
  const badge = el('span', { className: 'conflict-badge', textContent: conflictBadge(event), hidden: !event.conflicts.length });
  return el('article', { className: `lane-event${event.status === 'cancelled' ? ' cancelled' : ''}` },
    el('h4', {}, el('span', { className: 'slug', textContent: event.slug }), badge),
    el('p', { textContent: `${dayLabel(event.date)} · ${periodLabel(event.period)}${status}${role}` }),
    el('p', { textContent: `${`${event.patron.first_name} ${event.patron.last_name}`.trim()} · party of ${event.party_size}${event.ship ? ` · ${event.ship}` : ''}` }),
    who.some(Boolean) ? el('p', { className: 'people' }, ...who) : null,
    event.conflicts.length ? el('p', { className: 'conflict-note', textContent: conflictNote(event) }) : null);
}

// A person named on an event: a button to their schedule.
function person(id, label) {
  const button = el('button', { type: 'button', className: 'quiet small', textContent: label });
  button.addEventListener('click', () => openSchedule(id));
  return button;
}

export async function openSchedule(personId) {
  const shown = panel('schedule-modal', 'Schedule');
  shown.sub.replaceChildren();
  shown.body.replaceChildren(el('p', { className: 'status', textContent: 'Loading…' }));
  try {
    const found = await apiFetch(`/people/${encodeURIComponent(personId)}/schedule`);
    shown.heading.textContent = `${found.person.name} · the next 90 days`;
    const role = (e) => (e.captain_id === personId ? ' · as captain' : ' · as crew');
    shown.body.replaceChildren(found.events.length
      ? el('div', { className: 'schedule' }, ...found.events.map((e) => item(e, role(e))))
      : el('p', { className: 'empty', textContent: 'No charters in the next 90 days.' }));
  } catch (error) {
    panelError(shown, error);
  }
}
