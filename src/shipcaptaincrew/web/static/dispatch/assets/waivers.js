// Who signed an event's waiver, loaded on first use. Guest-typed text reaches the page through textContent.
import { apiFetch } from './api.js';
import { formMessage } from './forms.js';
import { openModal } from './modal.js';

const modal = document.getElementById('waivers-modal');
const list = modal.querySelector('.signers');
const state = modal.querySelector('.waivers-state');
const when = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
let slug = null;

export function openWaivers(event) {
  slug = event.slug;
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
  state.textContent = `${found.signatures.length} of ${found.party_size} guests signed.`;
  list.replaceChildren(...found.signatures.map(render));
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
  item.append(name, ' ', detail, ' ', copy);
  return item;
}
