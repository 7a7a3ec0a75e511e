/** Allowances on a virtual clock: windows, backoff that doubles, forgiveness, token buckets. */
import { describe, expect, it } from 'vitest';
import { Attempts, Bucket, DEFAULT_QUOTAS, JoinGuard } from '../../../server/sessions/quotas.ts';

const MINUTE = 60_000;

describe('Attempts', () => {
  it('blocks past the limit, doubles the block at each strike, and forgives after quiet hours', () => {
    let now = 0;
    const attempts = new Attempts(3, () => now);
    expect([1, 2, 3].map(() => attempts.record('a'))).toEqual([0, 0, 0]);
    expect(attempts.record('a')).toBe(MINUTE);
    expect(attempts.blockedFor('b')).toBe(0);
    now += MINUTE;
    expect(attempts.blockedFor('a')).toBe(0);
    for (let i = 0; i < 3; i++) attempts.record('a');
    expect(attempts.record('a')).toBe(2 * MINUTE);
    now += 2 * MINUTE;
    for (let i = 0; i < 3; i++) attempts.record('a');
    expect(attempts.record('a')).toBe(4 * MINUTE);
    now += 7 * 60 * MINUTE;
    for (let i = 0; i < 3; i++) attempts.record('a');
    expect(attempts.record('a')).toBe(MINUTE);
  });

  it('without backoff, blocks only until the window ends', () => {
    let now = 0;
    const attempts = new Attempts(2, () => now, false);
    attempts.record('x');
    now = 20_000;
    attempts.record('x');
    expect(attempts.record('x')).toBe(40_000);
    now = MINUTE;
    expect(attempts.blockedFor('x')).toBe(0);
    expect(attempts.record('x')).toBe(0);
  });
});

describe('Bucket', () => {
  it('allows a burst, then the sustained rate', () => {
    let now = 0;
    const bucket = new Bucket(10, 5, () => now);
    expect(Array.from({ length: 6 }, () => bucket.take())).toEqual([0, 0, 0, 0, 0, 100]);
    now += 100;
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(100);
  });
});

describe('JoinGuard', () => {
  it('counts wrong codes per address and per drill', () => {
    let now = 0;
    const guard = new JoinGuard({ ...DEFAULT_QUOTAS, joinFailuresPerAddress: 2, joinFailuresPerSession: 4 }, () => now);
    for (let i = 0; i < 3; i++) guard.failed('1.1.1.1', 's');
    expect(() => guard.check('1.1.1.1')).toThrow(expect.objectContaining({ code: 'rate_limited' }));
    expect(() => guard.check('2.2.2.2', 's')).not.toThrow();
    guard.failed('2.2.2.2', 's');
    guard.failed('3.3.3.3', 's');
    expect(() => guard.check('4.4.4.4', 's')).toThrow(expect.objectContaining({ code: 'rate_limited' }));
    expect(() => guard.check('4.4.4.4', 'other')).not.toThrow();
    now += MINUTE;
    expect(() => guard.check('4.4.4.4', 's')).not.toThrow();
  });
});
