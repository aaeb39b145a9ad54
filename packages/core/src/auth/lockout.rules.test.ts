import { describe, it, expect } from 'vitest';
import { afterFailure, afterSuccess, defaultLockout, isLocked, minutesLeft, type LoginState } from './lockout.rules.ts';
import { FakeClock, MINUTE } from '../shared/clock.ts';

const fresh = (): LoginState => ({ failedCount: 0, lockedUntil: null });

/** `n` wrong passwords in a row, one minute apart, starting from `state`. */
function fail(state: LoginState, clock: FakeClock, n: number) {
  let s: LoginState & { lockedNow?: boolean } = state;
  for (let i = 0; i < n; i++) {
    s = afterFailure(s, clock.now());
    clock.advance(MINUTE);
  }
  return s;
}

describe('account lockout', () => {
  it('defaults to 5 failures and 15 minutes', () => {
    expect(defaultLockout).toEqual({ maxFailures: 5, lockMinutes: 15 });
  });

  it('4 failures do not lock', () => {
    const clock = new FakeClock();
    const s = fail(fresh(), clock, 4);
    expect(s).toEqual({ failedCount: 4, lockedUntil: null, lockedNow: false });
    expect(isLocked(s, clock.now())).toBe(false);
  });

  it('the 5th failure locks for 15 minutes from that failure', () => {
    const clock = new FakeClock('2026-03-02T02:00:00.000Z');
    const four = fail(fresh(), clock, 4);
    const at = clock.now();
    const five = afterFailure(four, at);
    expect(five.lockedNow).toBe(true);
    expect(five.failedCount).toBe(5);
    expect(five.lockedUntil?.toISOString()).toBe(new Date(at.getTime() + 15 * MINUTE).toISOString());
    expect(isLocked(five, at)).toBe(true);
    clock.set(new Date(at.getTime() + 15 * MINUTE - 1));
    expect(isLocked(five, clock.now())).toBe(true);
    clock.set(new Date(at.getTime() + 15 * MINUTE));
    expect(isLocked(five, clock.now())).toBe(false); // locked *until*, not through
  });

  it('a lock that has run out starts a fresh count', () => {
    const clock = new FakeClock();
    const locked = fail(fresh(), clock, 5);
    expect(locked.lockedUntil).not.toBeNull();
    clock.advance(16 * MINUTE);
    expect(isLocked(locked, clock.now())).toBe(false);
    const next = afterFailure(locked, clock.now());
    expect(next).toEqual({ failedCount: 1, lockedUntil: null, lockedNow: false });
    // …and it takes another four to lock again.
    const again = fail(next, clock, 3);
    expect(again.lockedNow).toBe(false);
    expect(afterFailure(again, clock.now()).lockedNow).toBe(true);
  });

  it('a success clears the count', () => {
    const clock = new FakeClock();
    const four = fail(fresh(), clock, 4);
    expect(four.failedCount).toBe(4);
    const ok = afterSuccess();
    expect(ok).toEqual({ failedCount: 0, lockedUntil: null });
    expect(afterFailure(ok, clock.now()).failedCount).toBe(1);
  });

  it('honours a custom configuration', () => {
    const clock = new FakeClock();
    const cfg = { maxFailures: 2, lockMinutes: 60 };
    const one = afterFailure(fresh(), clock.now(), cfg);
    expect(one.lockedNow).toBe(false);
    const two = afterFailure(one, clock.now(), cfg);
    expect(two.lockedNow).toBe(true);
    expect(two.lockedUntil!.getTime() - clock.now().getTime()).toBe(60 * MINUTE);
  });

  describe('minutesLeft (shown to the user, rounded up)', () => {
    const clock = new FakeClock('2026-03-02T02:00:00.000Z');
    const until = new Date(clock.now().getTime() + 15 * MINUTE);
    const state: LoginState = { failedCount: 5, lockedUntil: until };
    const at = (msBeforeEnd: number) => new Date(until.getTime() - msBeforeEnd);

    it('is 0 when there is no lock', () => {
      expect(minutesLeft(fresh(), clock.now())).toBe(0);
    });

    it('is 15 right after locking', () => {
      expect(minutesLeft(state, clock.now())).toBe(15);
    });

    it('rounds a partial minute up', () => {
      expect(minutesLeft(state, at(14 * MINUTE + 1))).toBe(15);
      expect(minutesLeft(state, at(14 * MINUTE))).toBe(14);
      expect(minutesLeft(state, at(MINUTE + 1))).toBe(2);
      expect(minutesLeft(state, at(MINUTE))).toBe(1);
    });

    it('never says 0 while locked', () => {
      expect(minutesLeft(state, at(1))).toBe(1);
    });
  });
});
