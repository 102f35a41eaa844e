// Form helpers shared by the modals: field errors next to the input the server or the browser named,
// a form-level message for the rest, and a submit button that cannot fire twice.
let errors = 0;

export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  formMessage(form, '');
}

// Show `message` next to the control named `field`; true if there was one to show it at.
export function fieldError(form, field, message) {
  const control = field ? form.elements.namedItem(field) : null;
  const slot = control?.closest('.field')?.querySelector('.field-error');
  if (!slot) return false;
  slot.textContent = message;
  slot.id ||= `error-${(errors += 1)}`;
  control.setAttribute('aria-describedby', slot.id);
  control.setAttribute('aria-invalid', 'true');
  return true;
}

export function formMessage(form, message) {
  const slot = form.closest('.modal')?.querySelector('.form-error') ?? form.querySelector('.form-error');
  if (!slot) return;
  slot.textContent = message;
  slot.hidden = !message;
}

// An ApiError on its field when the form has it, else above the form.
export function showError(form, error) {
  if (!fieldError(form, error.field, error.message)) formMessage(form, error.message);
  focusFirstInvalid(form);
}

export function focusFirstInvalid(form) {
  form.querySelector('[aria-invalid="true"]')?.focus();
}

export function value(form, name) {
  return form.elements.namedItem(name).value.trim();
}

// Run `work` with the submit button disabled and marked busy; a second click meanwhile does nothing.
export async function busy(form, work, doing = 'Saving…') {
  const button = form.querySelector('[type="submit"]');
  if (button.disabled) return undefined;
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = doing;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
  }
}

// An error goes as soon as its field is changed: it never stays beside a field already fixed.
document.addEventListener('input', (event) => {
  const control = event.target;
  if (control.getAttribute?.('aria-invalid') !== 'true') return;
  control.removeAttribute('aria-invalid');
  const slot = control.closest('.field')?.querySelector('.field-error');
  if (slot) slot.textContent = '';
});
