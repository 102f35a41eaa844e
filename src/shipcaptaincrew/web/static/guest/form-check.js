// The waiver form's checks as the guest leaves each field, and all of them before it is sent: the server's
// rules and words (each field's data-words), so the page says exactly what the server would. Without this
// script the server makes the same checks and answers with the same summary.
const form = document.querySelector('form[data-charter]');
const summary = document.getElementById('error-summary');
const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s.]{2,63}$/;
const PHONE = /^\+?[0-9 ().-]{5,32}$/;

if (form && summary) {
  const charter = form.dataset.charter;
  const say = (words, kind, values = {}) =>
    words[kind].replace(/\{(\w+)\}/g, (_, key) => values[key] ?? (key === 'day' ? form.dataset.day : ''));
  const plain = (text) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().split(/\s+/).filter(Boolean).join(' ');
  const childNumber = (input) => input.id.match(/^child_(\d+)_/)?.[1] ?? '';

  const dateProblem = (value, words, values) => {
    if (!value) return say(words, 'missing', values);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) return say(words, 'invalid', values);
    if (value > charter || Number(value.slice(0, 4)) < Number(charter.slice(0, 4)) - 120) return say(words, 'late', values);
    return '';
  };
  const minor = (born) => {
    const [by, bm, bd] = born.split('-').map(Number);
    const [cy, cm, cd] = charter.split('-').map(Number);
    return cy - by - ((cm < bm || (cm === bm && cd < bd)) ? 1 : 0) < 18;
  };

  const RULES = {
    text: (input, words) => {
      const value = input.value.trim();
      const values = { n: childNumber(input) };
      if (!value) return say(words, 'missing', values);
      return value.length > 120 ? say(words, 'long', values) : '';
    },
    email: (input, words) => (input.value.trim() && !EMAIL.test(input.value.trim()) ? say(words, 'invalid') : ''),
    phone: (input, words) => {
      const value = input.value.trim();
      if (!value) return words.missing ? say(words, 'missing') : '';
      const digits = value.replace(/\D/g, '').length;
      return PHONE.test(value) && digits >= 5 ? '' : say(words, 'invalid');
    },
    adult: (input, words) => dateProblem(input.value, words) || (minor(input.value) ? say(words, 'age') : ''),
    child: (input, words) => {
      const number = childNumber(input);
      const values = { n: number, name: form.elements[`child_${number}_name`]?.value.trim() || `Child ${number}` };
      return dateProblem(input.value, words, values) || (minor(input.value) ? '' : say(words, 'age', values));
    },
    signature: (input, words) => {
      const typed = input.value.trim();
      const name = form.elements.guest_name.value.trim();
      const drawn = Boolean(form.elements.drawn_signature?.value);
      if (!typed) return drawn ? '' : say(words, 'missing');
      return name && plain(typed) !== plain(name) ? say(words, 'mismatch', { name }) : '';
    },
    box: (input, words) => (input.checked ? '' : say(words, 'missing')),
    choice: (input, words) => (input.value ? '' : say(words, 'missing')),
  };

  const inUse = (input) => !input.closest('.children') || form.elements.with_children.value === 'yes';

  const show = (input, problem) => {
    const holder = input.closest('.field, .check');
    const id = `${input.id}-error`;
    let message = document.getElementById(id);
    if (!problem) {
      message?.remove();
      holder.classList.remove('invalid');
      input.removeAttribute('aria-invalid');
      const rest = (input.getAttribute('aria-describedby') || '').split(' ').filter((part) => part && part !== id);
      if (rest.length) input.setAttribute('aria-describedby', rest.join(' ')); else input.removeAttribute('aria-describedby');
      return;
    }
    if (!message) {
      message = document.createElement('p');
      message.className = 'error';
      message.id = id;
      if (input.type === 'checkbox') holder.append(message); else input.before(message);
    }
    message.textContent = problem;
    holder.classList.add('invalid');
    input.setAttribute('aria-invalid', 'true');
    const described = new Set((input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean));
    described.add(id);
    input.setAttribute('aria-describedby', [...described].join(' '));
  };

  const check = (input) => {
    const problem = inUse(input) ? RULES[input.dataset.check](input, JSON.parse(input.dataset.words)) : '';
    show(input, problem);
    return problem;
  };

  form.addEventListener('focusout', (event) => {
    const input = event.target;
    if (input.dataset?.check && (input.value || input.type === 'checkbox' || input.getAttribute('aria-invalid'))) check(input);
  });
  form.addEventListener('change', (event) => {
    if (event.target.type === 'checkbox' && event.target.dataset.check) check(event.target);
  });

  form.addEventListener('submit', (event) => {
    if (event.submitter?.name === 'add_child' || event.submitter?.name === 'remove_child') return;
    const problems = [...form.querySelectorAll('[data-check]')]
      .map((input) => [input, check(input)])
      .filter(([, problem]) => problem);
    if (!problems.length) return;
    event.preventDefault();
    const heading = summary.querySelector('h2');
    heading.textContent = problems.length === 1 ? 'One answer needs your attention' : `${problems.length} answers need your attention`;
    summary.querySelector('ul').replaceChildren(...problems.map(([input, problem]) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `#${input.id}`;
      link.textContent = problem;
      item.append(link);
      return item;
    }));
    summary.hidden = false;
    summary.setAttribute('role', 'alert');
    summary.focus();
  });

  summary.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#"]');
    const target = link && document.getElementById(link.getAttribute('href').slice(1));
    if (!target) return;
    event.preventDefault();
    target.scrollIntoView({ block: 'center' });
    target.focus();
  });

  // Children's rows without a round trip: "Add another child" copies the last row, "Remove" takes one out.
  const children = document.getElementById('children');
  const rows = () => [...children.querySelectorAll('.child')];
  const renumber = () => rows().forEach((row, index) => {
    const number = index + 1;
    row.dataset.child = number;
    row.querySelector('legend').textContent = `Child ${number}`;
    for (const element of row.querySelectorAll('[id], [name], [for], [aria-describedby]')) {
      for (const attribute of ['id', 'name', 'for', 'aria-describedby']) {
        const value = element.getAttribute(attribute);
        if (value) element.setAttribute(attribute, value.replace(/child_\d+_/g, `child_${number}_`));
      }
    }
    for (const label of row.querySelectorAll('label')) label.textContent = label.textContent.replace(/child \d+/, `child ${number}`);
    const remove = row.querySelector('.remove-child');
    remove.value = number;
    remove.textContent = `Remove child ${number}`;
  });
  children.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    if (button.id === 'add-child') {
      event.preventDefault();
      if (rows().length >= Number(children.dataset.max)) return;
      const copy = rows().at(-1).cloneNode(true);
      for (const input of copy.querySelectorAll('input')) { input.value = ''; show(input, ''); }
      rows().at(-1).after(copy);
      renumber();
      copy.querySelector('input').focus();
    } else if (button.classList.contains('remove-child')) {
      event.preventDefault();
      const row = button.closest('.child');
      if (rows().length === 1) {
        for (const input of row.querySelectorAll('input')) { input.value = ''; show(input, ''); }
      } else {
        row.remove();
        renumber();
      }
      document.getElementById('add-child').focus();
    }
  });
}
