// The New event form: the slug preview follows what is typed; the server's 400/409 land on the field
// they name. What was typed stays until the event is booked, even if the modal is closed meanwhile.
import { apiFetch } from './api.js';
import { busy, clearErrors, fieldError, focusFirstInvalid, showError, value } from './forms.js';
import { parseAmount, slugPreview } from './format.js';
import { closeModal, openModal } from './modal.js';

const modal = document.getElementById('event-modal');
const form = modal.querySelector('form');
const DAY = /^\d{4}-\d{2}-\d{2}$/;
let booked = () => {};

export function whenBooked(handler) {
  booked = handler;
}

export function openBooking(defaultDate) {
  if (!form.elements.date.value) form.elements.date.value = defaultDate;
  preview();
  openModal(modal, { focus: form.elements['patron.first_name'] });
}

export function resetBooking() {
  form.reset();
  clearErrors(form);
}

function preview() {
  form.elements.slug.value = slugPreview(value(form, 'date'), value(form, 'patron.first_name'), value(form, 'period'));
}

function check(name, valid, message) {
  if (!valid) fieldError(form, name, message);
  return valid;
}

function readEvent() {
  const party = value(form, 'party_size');
  const price = value(form, 'amount_due');
  const amount = price ? parseAmount(price) : { text: null };
  const email = value(form, 'patron.email');
  const checks = [
    check('date', DAY.test(value(form, 'date')), 'Choose the date.'),
    check('patron.first_name', value(form, 'patron.first_name') !== '', 'Enter the patron’s first name.'),
    check('patron.email', !email || /^[^@\s]+@[^@\s]+$/.test(email), 'Enter an email like name@example.org.'),
    check('party_size', /^\d{1,3}$/.test(party) && party >= 1 && party <= 500, 'Enter a party size from 1 to 500.'),
    check('amount_due', !amount.error, amount.error),
  ];
  if (checks.includes(false)) {
    focusFirstInvalid(form);
    return null;
  }
  return {
    date: value(form, 'date'),
    period: value(form, 'period'),
    patron: {
      first_name: value(form, 'patron.first_name'),
      last_name: value(form, 'patron.last_name'),
      email,
      phone: value(form, 'patron.phone'),
    },
    party_size: Number(party),
    amount_due: amount.text,
    title: value(form, 'title'),
    notes: value(form, 'notes'),
  };
}

async function save() {
  clearErrors(form);
  const body = readEvent();
  if (!body) return;
  let created;
  try {
    created = await apiFetch('/events', { method: 'POST', body });
  } catch (error) {
    if (error.status !== 401) showError(form, error); // on 401 the form waits, as typed, for the sign-in
    return;
  }
  resetBooking();
  closeModal();
  booked(created);
}

form.addEventListener('input', preview);
form.addEventListener('submit', (event) => {
  event.preventDefault();
  busy(form, save);
});
