import { invalid } from '../shared/errors.ts';

/** 等保 2.0 level 3: at least 8 characters mixing at least 3 of 4 character classes. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MIN_CLASSES = 3;

export function characterClasses(password: string): number {
  let n = 0;
  if (/[a-z]/.test(password)) n++;
  if (/[A-Z]/.test(password)) n++;
  if (/[0-9]/.test(password)) n++;
  if (/[^A-Za-z0-9]/.test(password)) n++;
  return n;
}

/** Throws a DomainError naming the first rule the password breaks. */
export function assertPasswordPolicy(password: string, username: string): void {
  if ([...password].length < PASSWORD_MIN_LENGTH) throw invalid('password.too_short', { min: PASSWORD_MIN_LENGTH });
  if (characterClasses(password) < PASSWORD_MIN_CLASSES) throw invalid('password.too_weak', { classes: PASSWORD_MIN_CLASSES });
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) throw invalid('password.contains_username');
}
