// Assign ship, captain and crew to an event, loaded on first use. Conflicts come back as a 409 listing
// them; saving anyway needs a reason, which stays on the event. Roster names go in through textContent.
import { apiFetch } from './api.js';
import { updateEvent } from './board.js';
import { dialog } from './dialogs.js';
import { busy, clearErrors, formMessage, showError } from './forms.js';
import { closeModal, openModal } from './modal.js';
import { toast } from './notice.js';

const modal = await dialog('assign-modal');
const form = modal.querySelector('form');
const warning = modal.querySelector('.conflict-warning');
const override = modal.querySelector('.override');
let current = null;

export async function openAssign(event) {
  current = event;
  clearErrors(form);
  form.reset();
  showConflicts([]);
  modal.querySelector('.modal-sub').textContent = `${event.slug} · party of ${event.party_size}`;
  openModal(modal);
  try {
    fillRoster(await apiFetch('/roster'), event);
  } catch (error) {
    if (error.status !== 401) formMessage(form, error.message);
  }
}

function fillRoster(roster, event) {
  const option = (value, label) => new Option(label, value);
  const ships = roster.ships.map((s) => option(s.id, `${s.name} (${s.capacity})`));
  const captains = roster.people.filter((p) => p.role === 'captain').map((p) => option(p.id, p.name));
  form.elements.ship.replaceChildren(option('', 'No ship yet'), ...ships);
  form.elements.captain.replaceChildren(option('', 'No captain yet'), ...captains);
  form.elements.ship.value = event.ship_id ?? '';
  form.elements.captain.value = event.captain_id ?? '';
  modal.querySelector('.crew-choices').replaceChildren(...roster.people.filter((p) => p.role === 'crew').map((p) => {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'crew';
    box.value = p.id;
    box.checked = event.crew_ids.includes(p.id);
    label.append(box, p.name);
    return label;
  }));
}

function showConflicts(conflicts) {
  warning.hidden = !conflicts.length;
  override.hidden = !conflicts.length;
  warning.querySelector('ul').replaceChildren(...conflicts.map((conflict) => {
    const item = document.createElement('li');
    item.textContent = conflict.message;
    return item;
  }));
}

async function save() {
  clearErrors(form);
  const body = {
    ship: form.elements.ship.value || null,
    captain: form.elements.captain.value || null,
    crew: [...form.querySelectorAll('input[name="crew"]:checked')].map((box) => box.value),
    override_reason: override.hidden ? '' : form.elements.override_reason.value.trim(),
  };
  let event;
  try {
    event = await apiFetch(`/events/${encodeURIComponent(current.slug)}/assignment`, { method: 'PUT', body });
  } catch (error) {
    if (error.status === 401) return;
    if (error.code === 'assignment_conflicts') {
      showConflicts(error.conflicts ?? []);
      formMessage(form, body.override_reason ? '' : 'Not saved: give a reason to save with these conflicts.');
      form.elements.override_reason.focus();
      return;
    }
    showError(form, error);
    return;
  }
  updateEvent(event);
  closeModal();
  toast(event.conflicts.length ? `Assigned ${event.slug} with ${event.conflicts.length} conflict(s) overridden.` : `Assigned ${event.slug}.`);
}

form.addEventListener('submit', (submitted) => {
  submitted.preventDefault();
  busy(form, save);
});
