import { randomBytes, randomFillSync } from 'node:crypto';

// Crockford base32: time-sortable ids (48-bit milliseconds + 80 random bits), like ULID.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = 0;
let lastRandom: number[] = [];
// The encoded time and random part of the last id, kept so that the next id in the same millisecond
// re-encodes only what its increment changed (an import makes thousands of ids per millisecond).
let lastTimeText = '';
let lastRandomText = '';

// Random bytes are drawn 4 KiB at a time (a call into the OS per id showed in request profiles); each
// byte is used once. `& 31` keeps the low five bits, as `% 32` did.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 9; i >= 0; i--) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/** The 16 random digits of the next id: fresh in a new millisecond, the last ones plus one in the same. */
function nextRandom(ms: number): void {
  if (ms === lastTime && lastRandom.length) {
    // Same millisecond: increment so ids stay strictly increasing within a process.
    const r = lastRandom;
    let i = r.length - 1;
    for (; i >= 0; i--) {
      if (r[i]! < 31) {
        r[i]!++;
        break;
      }
      r[i] = 0;
    }
    // Only the digits from the lowest carried one change.
    const from = Math.max(0, i);
    let tail = '';
    for (let j = from; j < r.length; j++) tail += ALPHABET[r[j]!];
    lastRandomText = lastRandomText.slice(0, from) + tail;
    return;
  }
  if (poolAt + 16 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const r = (lastRandom = new Array<number>(16));
  let text = '';
  for (let i = 0; i < 16; i++) {
    const n = pool[poolAt + i]! & 31;
    r[i] = n;
    text += ALPHABET[n];
  }
  poolAt += 16;
  lastRandomText = text;
}


/** A new id such as `lead_01JD3Z…`; sorting ids sorts by creation time. */
export function newId(prefix: string, now = Date.now()): string {
  const ms = Math.max(now, lastTime);
  nextRandom(ms);
  if (ms !== lastTime || !lastTimeText) lastTimeText = encodeTime(ms);
  lastTime = ms;
  return `${prefix}_${lastTimeText}${lastRandomText}`;
}

/** A random secret (for API tokens and session ids), URL-safe. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
