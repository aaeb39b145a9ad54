import { describe, it, expect } from 'vitest';
import { assertPasswordPolicy, characterClasses, PASSWORD_MIN_CLASSES, PASSWORD_MIN_LENGTH } from './password.rules.ts';
import { DomainError } from '../shared/errors.ts';

/** The error code the policy answers with, or null when the password is accepted. */
function verdict(password: string, username = 'zhangsan'): string | null {
  try {
    assertPasswordPolicy(password, username);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).kind).toBe('invalid');
    return (e as DomainError).code;
  }
}

describe('password policy (等保 2.0 level 3)', () => {
  it('publishes 8 characters and 3 classes', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(8);
    expect(PASSWORD_MIN_CLASSES).toBe(3);
  });

  describe('length', () => {
    it('7 characters are too short even with all four classes', () => {
      expect(verdict('Ab1!xyz')).toBe('password.too_short');
    });

    it('8 characters with three classes are enough', () => {
      expect(verdict('Ab1xyzuv')).toBeNull();
    });

    it('the error tells the minimum', () => {
      try {
        assertPasswordPolicy('Ab1!', 'zhangsan');
        expect.unreachable();
      } catch (e) {
        expect((e as DomainError).params).toEqual({ min: 8 });
      }
    });

    it('counts characters, not UTF-16 code units', () => {
      // 7 characters, but the emoji takes two code units: still too short.
      expect('Ab1xyz😀'.length).toBe(8);
      expect(verdict('Ab1xyz😀')).toBe('password.too_short');
      expect(verdict('Ab1xyzu😀')).toBeNull();
    });
  });

  describe('character classes', () => {
    it('counts lower, upper, digit and other', () => {
      expect(characterClasses('abcdefgh')).toBe(1);
      expect(characterClasses('abcdEFGH')).toBe(2);
      expect(characterClasses('abcdEF12')).toBe(3);
      expect(characterClasses('abcE12!?')).toBe(4);
      expect(characterClasses('')).toBe(0);
    });

    it('2 classes are too weak, 3 are enough', () => {
      expect(verdict('abcdefgh')).toBe('password.too_weak');
      expect(verdict('abcd1234')).toBe('password.too_weak');
      expect(verdict('ABCD!@#$')).toBe('password.too_weak');
      expect(verdict('abcd123!')).toBeNull();
      expect(verdict('ABCD123!')).toBeNull();
      expect(verdict('abcdEFG!')).toBeNull();
    });

    it('Chinese characters count as symbols', () => {
      expect(characterClasses('网格')).toBe(1);
      expect(characterClasses('abc网格')).toBe(2);
      expect(verdict('abcd1234网格')).toBeNull(); // lower + digit + Chinese
      expect(verdict('网格通网格通网格通')).toBe('password.too_weak'); // one class only
    });

    it('a space counts as a symbol as well', () => {
      expect(verdict('abcd 1234')).toBeNull();
    });

    it('too short is reported before too weak', () => {
      expect(verdict('abc')).toBe('password.too_short');
    });
  });

  describe('username', () => {
    it('a password containing the username is refused, ignoring case', () => {
      expect(verdict('Zhangsan@2026', 'zhangsan')).toBe('password.contains_username');
      expect(verdict('xx1!ZHANGSANxx', 'zhangsan')).toBe('password.contains_username');
      expect(verdict('Wangge@2026', 'WANGGE')).toBe('password.contains_username');
    });

    it('a password not containing it is accepted', () => {
      expect(verdict('Zhang@2026san', 'zhangsan')).toBeNull();
    });

    it('usernames shorter than 3 characters are not checked (too many false positives)', () => {
      expect(verdict('Abcd@2026', 'ab')).toBeNull();
      expect(verdict('Abcd@2026', 'abc')).toBe('password.contains_username');
    });

    it('weakness is reported before the username rule', () => {
      expect(verdict('zhangsan1', 'zhangsan')).toBe('password.too_weak');
    });
  });
});
