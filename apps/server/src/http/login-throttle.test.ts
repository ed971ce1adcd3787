import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';

describe('login throttle', () => {
  it('locks after the maximum within the window, frees after it, and resets on success', () => {
    let now = 0;
    const t = new LoginThrottle(3, 1000, () => now);
    for (let i = 0; i < 3; i++) {
      t.check('A@x.cn');
      t.failed('a@x.cn');
    }
    expect(() => t.check('a@X.cn')).toThrow(/too many failed sign-ins/);
    now = 999;
    expect(() => t.check('a@x.cn')).toThrow();
    now = 1000;
    expect(() => t.check('a@x.cn')).not.toThrow();
    t.failed('b@x.cn');
    t.failed('b@x.cn');
    t.succeeded('b@x.cn');
    t.failed('b@x.cn');
    t.failed('b@x.cn');
    expect(() => t.check('b@x.cn')).not.toThrow();
  });
});
