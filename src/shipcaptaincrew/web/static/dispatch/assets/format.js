// Text for people: money, days, periods; and the amount and slug rules the server also applies.

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const dayName = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC',
});
export const PERIODS = { am: 'Morning', pm: 'Afternoon', sunset: 'Sunset', full: 'Full day' };
// The operator's periods and their windows (GET /api/config), the defaults until it answers.
let windows = { am: ['08:00', '12:00'], pm: ['13:00', '17:00'], sunset: ['18:00', '21:00'], full: ['08:00', '17:00'] };
const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;
// Letters that Unicode decomposition does not reduce to ASCII (the server's table, domain/slugs.py).
const LETTERS = { ß: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ø: 'o', Ø: 'o', ł: 'l', Ł: 'l', đ: 'd', Đ: 'd',
  ð: 'd', Ð: 'd', þ: 'th', Þ: 'th', ı: 'i' };

export function money(cents) {
  return cents === null || cents === undefined ? '—' : dollars.format(cents / 100);
}

export function dayLabel(isoDate) {
  return dayName.format(new Date(`${isoDate}T00:00:00Z`));
}

export function periodLabel(period) {
  return PERIODS[period] ?? period.charAt(0).toUpperCase() + period.slice(1);
}

let methods = null;

// The operator's choices from GET /api/config: periods with their windows, payment methods.
export function setChoices(choices) {
  windows = Object.fromEntries(choices.periods.map((p) => [p.name, [p.starts, p.ends]]));
  methods = choices.payment_methods;
}

export function paymentMethods() {
  return methods;
}

export function periodNames() {
  return Object.keys(windows);
}

// "8:00": when a period starts, as people write it.
export function startTime(period) {
  return (windows[period]?.[0] ?? '').replace(/^0(\d)/, '$1');
}

// "Morning, 8:00–12:00"
export function periodWords(period) {
  const [starts, ends] = (windows[period] ?? []).map((t) => t.replace(/^0(\d)/, '$1'));
  return starts ? `${periodLabel(period)}, ${starts}–${ends}` : periodLabel(period);
}

export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

export function isoDay(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function addDays(isoDate, days) {
  const date = new Date(`${isoDate}T12:00:00`);
  date.setDate(date.getDate() + days);
  return isoDay(date);
}

// "125.5" → 12550; an error message for anything the server would refuse.
export function parseAmount(text) {
  const value = text.trim().replace(/^\$/, '').replaceAll(',', '');
  if (!value) return { error: 'Enter an amount.' };
  if (!AMOUNT.test(value)) return { error: 'Use dollars with at most two decimals, like 125.50.' };
  const [whole, cents = ''] = value.split('.');
  const total = Number(whole) * 100 + Number(cents.padEnd(2, '0'));
  if (total <= 0) return { error: 'The amount must be more than zero.' };
  return { cents: total, text: value };
}

// José → jose, Mary Kate → marykate: what the server puts in the slug.
export function slugName(firstName) {
  const mapped = Array.from(firstName, (ch) => LETTERS[ch] ?? ch).join('').normalize('NFKD');
  return Array.from(mapped).filter((ch) => /^[a-z]$/.test(ch.toLowerCase())).join('').toLowerCase().slice(0, 40);
}

export function slugPreview(date, firstName, period) {
  return `${date || 'YYYY-MM-DD'}-${slugName(firstName) || 'firstname'}-${period || 'period'}`;
}
