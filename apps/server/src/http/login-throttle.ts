import { AppError } from '@openltc/core';

/**
 * Slows password guessing: after `max` failed sign-ins for one email within `windowMs`, further
 * attempts for that email are refused with 429 until the window has passed — the right password
 * included, so a guesser learns nothing. Kept in memory per server process (several processes each
 * allow `max`); a success clears the count.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();
  constructor(
    private readonly max = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  private key(email: string): string {
    return email.trim().toLowerCase();
  }

  /** Throws 429 when the email is locked out. */
  check(email: string): void {
    const f = this.failures.get(this.key(email));
    if (!f) return;
    const age = this.now() - f.since;
    if (age >= this.windowMs) {
      this.failures.delete(this.key(email));
      return;
    }
    if (f.count >= this.max) {
      const retryAfter = Math.ceil((this.windowMs - age) / 1000);
      throw new AppError(429, 'too_many_attempts', 'Too many attempts', `too many failed sign-ins for this email; try again in ${Math.ceil(retryAfter / 60)} minute(s)`, { retryAfterSeconds: retryAfter });
    }
  }

  failed(email: string): void {
    const k = this.key(email);
    const f = this.failures.get(k);
    if (!f || this.now() - f.since >= this.windowMs) this.failures.set(k, { count: 1, since: this.now() });
    else f.count++;
    // Bounded memory under a spray of made-up emails.
    if (this.failures.size > 50_000) this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(email: string): void {
    this.failures.delete(this.key(email));
  }
}
