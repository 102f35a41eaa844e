// Who signed an event's waiver, loaded on first use. Guest-typed text reaches the page through textContent.
// A signature that does not belong to the party is voided (with a reason; the record stays); a leaked guest
// link is replaced by a new one, which kills the old.
import { apiFetch } from './api.js';
import { dialog } from './dialogs.js';
import { formMessage } from './forms.js';
import { openModal } from './modal.js';

const modal = await dialog('waivers-modal');
const list = modal.querySelector('.signers');
const state = modal.querySelector('.waivers-state');
const when = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
let slug = null;
let onChange = () => {};

modal.querySelector('.rotate-link').addEventListener('click', async () => {
  if (!window.confirm('Make a new guest link? The link sent before, its QR code and every copy link stop working.')) return;
  try {
    onChange(await apiFetch(`/events/${encodeURIComponent(slug)}/guest-link/rotate`, { method: 'POST' }));
    state.textContent = 'New guest link made: send it to the party again.';
  } catch (error) {
    if (error.status !== 401) formMessage(modal, error.message);
  }
});

// `changed(event)` is called with the event's new snapshot after a void or a new link, and `counted(n)` with the
// count each time the list is read, so the row never shows a count older than the list beside it.
let counted = () => {};

export function openWaivers(event, changed = () => {}, onCount = () => {}) {
  counted = onCount;
  slug = event.slug;
  onChange = changed;
  modal.querySelector('.modal-sub').textContent = event.slug;
  list.replaceChildren();
  formMessage(modal, '');
  openModal(modal, { onResume: refresh });
  return refresh();
}

async function refresh() {
  state.textContent = 'Loading waivers…';
  let found;
  try {
    found = await apiFetch(`/events/${encodeURIComponent(slug)}/waivers`);
  } catch (error) {
    state.textContent = '';
    if (error.status !== 401) formMessage(modal, error.message);
    return;
  }
  counted(found.waivers_signed);
  const aside = found.signatures.length - found.signatures.filter((s) => s.status === 'counted').length;
  const over = found.waivers_signed > found.party_size ? ' Over party size.' : '';
  state.textContent = `${found.waivers_signed} of ${found.party_size} guests signed.${over}`
    + (aside ? ` ${aside} voided or signed again (kept in the records).` : '');
  list.replaceChildren(...found.signatures.filter((s) => s.status === 'counted').map(render));
}

async function voidSignature(signature) {
  const reason = window.prompt(`Void the signature of ${signature.guest_name}? It leaves the count and the manifest; the record stays. Reason:`);
  if (!reason || !reason.trim()) return;
  try {
    const result = await apiFetch(`/waivers/${encodeURIComponent(signature.id)}/void`, { method: 'POST', body: { reason } });
    onChange(result.event);
    await refresh();
  } catch (error) {
    if (error.status !== 401) formMessage(modal, error.message);
  }
}

function render(signature) {
  const item = document.createElement('li');
  const name = document.createElement('strong');
  name.textContent = signature.guest_name;
  const detail = document.createElement('span');
  detail.textContent = [
    signature.minor && `minor, guardian ${signature.guardian_name}`,
    `signed ${when.format(new Date(signature.signed_at))}`,
    `emergency ${signature.emergency_name} ${signature.emergency_phone}`,
  ].filter(Boolean).join(' · ');
  const copy = document.createElement('a');
  copy.href = signature.copy_url;
  copy.target = '_blank';
  copy.rel = 'noopener';
  copy.textContent = 'copy';
  const voiding = document.createElement('button');
  voiding.className = 'link';
  voiding.textContent = 'Void…';
  voiding.addEventListener('click', () => voidSignature(signature));
  item.append(name, ' ', detail, ' ', copy, ' ', voiding);
  return item;
}
