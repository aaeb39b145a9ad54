import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormRule } from 'antd';
import type { Meta } from '@wangge/contracts';
import { usePasswordPolicy } from '../api/hooks.ts';

type Policy = Meta['passwordPolicy'];

/** Upper case, lower case, digits, symbols: how many of the four a password uses (as the server counts). */
function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** Form rules for a new password: required, long enough, mixed enough. The server checks the rest. */
export function usePasswordRules(): FormRule[] {
  const { t } = useTranslation();
  const policy = usePasswordPolicy();
  return useMemo(
    () => [
      { required: true, message: t('password.required') },
      {
        validator: async (_rule, value: string | undefined) => {
          if (!value) return;
          if ([...value].length < policy.minLength) throw new Error(t('password.tooShort', { min: policy.minLength }));
          if (characterClasses(value) < policy.minClasses) throw new Error(t('password.tooWeak', { classes: policy.minClasses }));
        },
      },
    ],
    [t, policy],
  );
}

/** A rule for a "repeat the password" field. */
export function useConfirmRule(field: string): FormRule {
  const { t } = useTranslation();
  return ({ getFieldValue }) => ({
    validator: async (_rule, value: string | undefined) => {
      if (value && value !== getFieldValue(field)) throw new Error(t('password.mismatch'));
    },
  });
}

export function usePolicyHint(): string {
  const { t } = useTranslation();
  const policy = usePasswordPolicy();
  return t('password.policy', { min: policy.minLength, classes: policy.minClasses });
}

const SETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#$%&*+-=?'];

function randomIndex(n: number): number {
  const buf = new Uint32Array(1);
  crypto.getRandomValues(buf);
  return (buf[0] ?? 0) % n;
}

function randomChar(set: string): string {
  return set[randomIndex(set.length)] ?? '';
}

/** A random initial password that meets the policy, without look-alike characters (0/O, 1/l/I). */
export function generatePassword(policy: Policy): string {
  const length = Math.max(policy.minLength, 12);
  const all = SETS.join('');
  const chars = SETS.map(randomChar);
  while (chars.length < length) chars.push(randomChar(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}
