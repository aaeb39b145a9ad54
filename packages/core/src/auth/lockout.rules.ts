import { MINUTE } from '../shared/clock.ts';

export interface LockoutConfig {
  maxFailures: number;
  lockMinutes: number;
}
export const defaultLockout: LockoutConfig = { maxFailures: 5, lockMinutes: 15 };

export interface LoginState {
  failedCount: number;
  lockedUntil: Date | null;
}

export function isLocked(state: LoginState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/** Minutes left on a lock, rounded up, for the message the user sees. */
export function minutesLeft(state: LoginState, now: Date): number {
  if (!state.lockedUntil) return 0;
  return Math.max(1, Math.ceil((state.lockedUntil.getTime() - now.getTime()) / MINUTE));
}

/** After a wrong password: count it; the Nth failure in a row locks the account. */
export function afterFailure(state: LoginState, now: Date, cfg: LockoutConfig = defaultLockout): LoginState & { lockedNow: boolean } {
  // A lock that has run out starts a fresh count.
  const base = state.lockedUntil && !isLocked(state, now) ? 0 : state.failedCount;
  const failedCount = base + 1;
  if (failedCount >= cfg.maxFailures) {
    return { failedCount, lockedUntil: new Date(now.getTime() + cfg.lockMinutes * MINUTE), lockedNow: true };
  }
  return { failedCount, lockedUntil: null, lockedNow: false };
}

export function afterSuccess(): LoginState {
  return { failedCount: 0, lockedUntil: null };
}
