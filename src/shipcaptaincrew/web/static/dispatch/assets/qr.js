// A small QR Code encoder (ISO/IEC 18004): byte mode, error correction M (L when M does not fit),
// versions 1-6, so up to 134 bytes: enough for a guest link. No third-party script is allowed.

// Per version 1-6: [error correction codewords per block, blocks]; `bits` goes in the format info.
const LEVELS = [
  { bits: 0, blocks: [[10, 1], [16, 1], [26, 1], [18, 2], [24, 2], [16, 4]] }, // M
  { bits: 1, blocks: [[7, 1], [10, 1], [15, 1], [20, 1], [26, 1], [18, 2]] }, // L
];
const MASKS = [
  (x, y) => (x + y) % 2, (x, y) => y % 2, (x) => x % 3, (x, y) => (x + y) % 3,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2, (x, y) => ((x * y) % 2) + ((x * y) % 3),
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2, (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2,
]; // a module flips where the function gives 0

// Codewords a version holds: all modules less finders, timing, format and its one alignment pattern.
const capacity = (v) => Math.floor(((16 * v + 128) * v + 64 - (v > 1 ? 25 : 0)) / 8);

function fit(length) {
  for (const level of LEVELS) {
    for (let v = 1; v <= 6; v += 1) {
      const [ecLen, blocks] = level.blocks[v - 1];
      const data = capacity(v) - ecLen * blocks;
      if (12 + 8 * length <= data * 8) return { v, level, ecLen, blocks, data };
    }
  }
  throw new RangeError('too long for a QR code of version 6');
}

function dataCodewords(bytes, count) {
  const bits = [];
  const put = (value, n) => { for (let i = n - 1; i >= 0; i -= 1) bits.push((value >>> i) & 1); };
  put(4, 4); // byte mode
  put(bytes.length, 8);
  bytes.forEach((b) => put(b, 8));
  put(0, Math.min(4, count * 8 - bits.length)); // terminator
  put(0, (8 - (bits.length % 8)) % 8);
  const words = [];
  for (let i = 0; i < bits.length; i += 8) words.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b));
  for (let pad = 0xec; words.length < count; pad ^= 0xec ^ 0x11) words.push(pad);
  return words;
}

function gfMul(x, y) {
  let z = 0;
  for (let i = 7; i >= 0; i -= 1) z = ((z << 1) ^ ((z >>> 7) * 0x11d)) ^ (((y >>> i) & 1) * x);
  return z;
}

function reedSolomon(data, degree) {
  const divisor = new Array(degree).fill(0);
  divisor[degree - 1] = 1;
  for (let i = 0, root = 1; i < degree; i += 1, root = gfMul(root, 2)) {
    for (let j = 0; j < degree; j += 1) divisor[j] = gfMul(divisor[j], root) ^ (divisor[j + 1] ?? 0);
  }
  const rest = new Array(degree).fill(0);
  for (const b of data) {
    const factor = b ^ rest.shift();
    rest.push(0);
    divisor.forEach((c, i) => { rest[i] ^= gfMul(c, factor); });
  }
  return rest;
}

// Split the data into blocks, add each block's error correction, interleave.
function interleave(words, { v, ecLen, blocks }) {
  const total = capacity(v);
  const short = blocks - (total % blocks);
  const shortLen = Math.floor(total / blocks);
  const all = [];
  for (let i = 0, k = 0; i < blocks; i += 1) {
    const data = words.slice(k, k + shortLen - ecLen + (i < short ? 0 : 1));
    k += data.length;
    const ecc = reedSolomon(data, ecLen);
    if (i < short) data.push(0);
    all.push(data.concat(ecc));
  }
  const out = [];
  for (let i = 0; i < all[0].length; i += 1) {
    all.forEach((block, j) => { if (i !== shortLen - ecLen || j >= short) out.push(block[i]); });
  }
  return out;
}

function symbol(v) {
  const size = v * 4 + 17;
  const dark = Array.from({ length: size }, () => new Array(size).fill(false));
  const fixed = Array.from({ length: size }, () => new Array(size).fill(false));
  const set = (x, y, on) => { dark[y][x] = on; fixed[y][x] = true; };
  const square = (cx, cy, r, on) => {
    for (let dy = -r; dy <= r; dy += 1) {
      for (let dx = -r; dx <= r; dx += 1) {
        const x = cx + dx;
        const y = cy + dy;
        if (x >= 0 && y >= 0 && x < size && y < size) set(x, y, on(Math.max(Math.abs(dx), Math.abs(dy))));
      }
    }
  };
  for (let i = 0; i < size; i += 1) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  for (const [x, y] of [[3, 3], [size - 4, 3], [3, size - 4]]) square(x, y, 4, (d) => d !== 2 && d !== 4);
  if (v > 1) square(size - 7, size - 7, 2, (d) => d !== 1);
  const format = (levelBits, mask) => {
    const data = (levelBits << 3) | mask;
    let rem = data;
    for (let i = 0; i < 10; i += 1) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    const bits = ((data << 10) | rem) ^ 0x5412;
    const bit = (i) => ((bits >>> i) & 1) === 1;
    for (let i = 0; i < 15; i += 1) {
      if (i < 6) set(8, i, bit(i));
      else if (i < 8) set(8, i + 1, bit(i));
      else set(14 - i + (i === 8 ? 1 : 0), 8, bit(i));
      if (i < 8) set(size - 1 - i, 8, bit(i));
      else set(8, size - 15 + i, bit(i));
    }
    set(8, size - 8, true);
  };
  format(0, 0); // reserve the format areas before the data goes in
  return { size, dark, fixed, format };
}

function place({ size, dark, fixed }, codewords) {
  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let vert = 0; vert < size; vert += 1) {
      const y = upward ? size - 1 - vert : vert;
      for (const x of [right, right - 1]) {
        if (!fixed[y][x] && i < codewords.length * 8) {
          dark[y][x] = ((codewords[i >>> 3] >>> (7 - (i & 7))) & 1) === 1;
          i += 1;
        }
      }
    }
  }
}

function applyMask({ size, dark, fixed }, mask) {
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) if (!fixed[y][x] && !MASKS[mask](x, y)) dark[y][x] = !dark[y][x];
  }
}

// The standard's penalty for a masked symbol: long runs, 2x2 blocks, finder look-alikes, imbalance.
function penalty(dark) {
  const size = dark.length;
  let score = 0;
  for (let i = 0; i < size; i += 1) score += linePenalty(dark[i]) + linePenalty(dark.map((row) => row[i]));
  for (let y = 0; y < size - 1; y += 1) {
    for (let x = 0; x < size - 1; x += 1) {
      const c = dark[y][x];
      if (c === dark[y][x + 1] && c === dark[y + 1][x] && c === dark[y + 1][x + 1]) score += 3;
    }
  }
  const darkCount = dark.flat().filter(Boolean).length;
  return score + (Math.ceil(Math.abs(darkCount * 20 - size * size * 10) / (size * size)) - 1) * 10;
}

function linePenalty(line) {
  const size = line.length;
  const history = [0, 0, 0, 0, 0, 0, 0];
  const push = (length) => { history.pop(); history.unshift(history[0] ? length : length + size); };
  let score = 0;
  let color = false;
  let run = 0;
  for (const module of line) {
    if (module === color) {
      run += 1;
      score += run === 5 ? 3 : run > 5 ? 1 : 0;
    } else {
      push(run);
      if (!color) score += finderLike(history) * 40;
      color = module;
      run = 1;
    }
  }
  if (color) {
    push(run);
    run = 0;
  }
  push(run + size); // the light border after the last run
  return score + finderLike(history) * 40;
}

function finderLike(h) {
  const n = h[1];
  const core = n > 0 && h[2] === n && h[3] === n * 3 && h[4] === n && h[5] === n;
  return (core && h[0] >= n * 4 && h[6] >= n ? 1 : 0) + (core && h[6] >= n * 4 && h[0] >= n ? 1 : 0);
}

// The modules of the QR code for `text` (UTF-8): rows of booleans, true for dark. RangeError if too long.
export function qrModules(text) {
  const bytes = Array.from(new TextEncoder().encode(text));
  const spec = fit(bytes.length);
  const qr = symbol(spec.v);
  place(qr, interleave(dataCodewords(bytes, spec.data), spec));
  let best = 0;
  let bestScore = Infinity;
  for (let mask = 0; mask < 8; mask += 1) {
    applyMask(qr, mask);
    qr.format(spec.level.bits, mask);
    const score = penalty(qr.dark);
    if (score < bestScore) [best, bestScore] = [mask, score];
    applyMask(qr, mask);
  }
  applyMask(qr, best);
  qr.format(spec.level.bits, best);
  return qr.dark;
}

// An <svg> of the code with its four-module quiet zone; CSS sets its size.
export function qrSvg(text, label) {
  const modules = qrModules(text);
  const side = modules.length + 8;
  const svg = element('svg', { viewBox: `0 0 ${side} ${side}`, role: 'img', 'aria-label': label });
  const d = [];
  modules.forEach((row, y) => row.forEach((on, x) => { if (on) d.push(`M${x + 4} ${y + 4}h1v1h-1z`); }));
  svg.append(element('rect', { width: side, height: side, fill: '#fff' }),
    element('path', { d: d.join(''), fill: '#000', 'shape-rendering': 'crispEdges' }));
  return svg;
}

function element(name, attributes) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', name);
  Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, value));
  return node;
}
