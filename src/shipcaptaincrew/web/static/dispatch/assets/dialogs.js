// The card and the modals are not in the first page: their markup (modals.html, and charter-day.html for the
// weather call, refunds and rain checks: our own trusted files, never patron text) and their stylesheet (card.css)
// are fetched the first time one is needed, then kept.
const MARKUP = 'modals.html';
const loaded = new Map(); // markup file → its loading

export function loadStyles() {
  return new Promise((resolve) => {
    if (document.getElementById('card-css')) return resolve();
    const link = Object.assign(document.createElement('link'), { id: 'card-css', rel: 'stylesheet', href: '/assets/card.css' });
    link.addEventListener('load', resolve);
    link.addEventListener('error', resolve);
    document.head.append(link);
  });
}

async function loadMarkup(file) {
  const answer = await fetch(`/assets/${file}`);
  if (!answer.ok) throw new Error('The board’s forms could not be loaded. Reload the page.');
  const parsed = new DOMParser().parseFromString(await answer.text(), 'text/html');
  const templates = document.createElement('div');
  templates.hidden = true;
  templates.className = 'templates';
  templates.append(...parsed.querySelectorAll('template'));
  document.body.append(document.adoptNode(templates));
}

export function ready(file = MARKUP) {
  if (!loaded.has(file)) {
    loaded.set(file, Promise.all([loadMarkup(file), loadStyles()]).catch((error) => {
      loaded.delete(file);
      throw error;
    }));
  }
  return loaded.get(file);
}

// A copy of template `id`'s first element, from the markup file that holds it.
export async function fromTemplate(id, file = MARKUP) {
  await ready(file);
  return document.getElementById(id).content.firstElementChild.cloneNode(true);
}

// The modal `id`, added to the page from its template the first time.
export async function dialog(id, file = MARKUP) {
  const present = document.getElementById(id);
  if (present) return present;
  const made = await fromTemplate(`${id}-template`, file);
  document.body.append(made);
  return made;
}
