// The card and the modals are not in the first page: their markup (modals.html, our own trusted file, never
// patron text) and their stylesheet (card.css) are fetched the first time one is needed, then kept.
let loaded = null;

export function loadStyles() {
  return new Promise((resolve) => {
    if (document.getElementById('card-css')) return resolve();
    const link = Object.assign(document.createElement('link'), { id: 'card-css', rel: 'stylesheet', href: '/assets/card.css' });
    link.addEventListener('load', resolve);
    link.addEventListener('error', resolve);
    document.head.append(link);
  });
}

async function loadMarkup() {
  const answer = await fetch('/assets/modals.html');
  if (!answer.ok) throw new Error('The board’s forms could not be loaded. Reload the page.');
  const parsed = new DOMParser().parseFromString(await answer.text(), 'text/html');
  const templates = document.createElement('div');
  templates.hidden = true;
  templates.id = 'templates';
  templates.append(...parsed.querySelectorAll('template'));
  document.body.append(document.adoptNode(templates));
}

export function ready() {
  loaded ??= Promise.all([loadMarkup(), loadStyles()]).catch((error) => { loaded = null; throw error; });
  return loaded;
}

// A copy of template `id`'s first element.
export async function fromTemplate(id) {
  await ready();
  return document.getElementById(id).content.firstElementChild.cloneNode(true);
}

// The modal `id`, added to the page from its template the first time.
export async function dialog(id) {
  const present = document.getElementById(id);
  if (present) return present;
  const made = await fromTemplate(`${id}-template`);
  document.body.append(made);
  return made;
}
