import { randomBytes } from 'node:crypto';

// The id format of the application (prefix, 10 characters of Crockford base32 milliseconds, 16 random
// characters), for a chosen instant: bulk data carries ids that sort like the rows' creation times.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let pool = Buffer.alloc(0);
let at = 0;

function randomChars(n: number): string {
  if (at + n > pool.length) {
    pool = randomBytes(64 * 1024);
    at = 0;
  }
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[pool[at++]! % 32];
  return s;
}

export function idAt(prefix: string, ms: number): string {
  let t = '';
  let v = Math.floor(ms);
  for (let i = 0; i < 10; i++) {
    t = ALPHABET[v % 32] + t;
    v = Math.floor(v / 32);
  }
  return `${prefix}_${t}${randomChars(16)}`;
}

/** Any id the application makes (prefix_ + 26 characters). */
export const ID_PATTERN = /\b[a-z]+_[0-9A-HJKMNP-TV-Z]{26}\b/g;
