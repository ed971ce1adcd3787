import { randomBytes } from 'node:crypto';

// Crockford base32: time-sortable ids (48-bit milliseconds + 80 random bits), like ULID.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = 0;
let lastRandom: number[] = [];

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 9; i >= 0; i--) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
    void i;
  }
  return out;
}

function nextRandom(ms: number): number[] {
  if (ms === lastTime && lastRandom.length) {
    // Same millisecond: increment so ids stay strictly increasing within a process.
    const r = [...lastRandom];
    for (let i = r.length - 1; i >= 0; i--) {
      if (r[i]! < 31) {
        r[i]!++;
        break;
      }
      r[i] = 0;
    }
    return r;
  }
  const bytes = randomBytes(16);
  return Array.from({ length: 16 }, (_, i) => bytes[i]! % 32);
}

/** A new id such as `lead_01JD3Z…`; sorting ids sorts by creation time. */
export function newId(prefix: string, now = Date.now()): string {
  const ms = Math.max(now, lastTime);
  const random = nextRandom(ms);
  lastTime = ms;
  lastRandom = random;
  return `${prefix}_${encodeTime(ms)}${random.map((n) => ALPHABET[n]).join('')}`;
}

/** A random secret (for API tokens and session ids), URL-safe. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
