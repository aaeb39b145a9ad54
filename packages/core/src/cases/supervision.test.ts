import { describe, it, expect } from 'vitest';
import type { SupervisionLevel } from '@wangge/contracts';
import { levelFor } from './supervision.ts';

// A 4-working-hour limit (240 min) with reminders when less than 20 % is left: the line is 48 minutes.
const LIMIT = 240;
const PERCENT = 20;
const LINE = (LIMIT * PERCENT) / 100;

describe('levelFor', () => {
  it.each<[number, SupervisionLevel]>([
    [-600, 'overdue'],
    [-1, 'overdue'],
    [0, 'overdue'], // the due time itself has come
    [0.5, 'due_soon'],
    [1, 'due_soon'],
    [LINE - 1, 'due_soon'],
    [LINE - 0.01, 'due_soon'],
    [LINE, 'none'], // exactly the share left is not yet due soon
    [LINE + 1, 'none'],
    [LIMIT, 'none'],
    [LIMIT * 3, 'none'], // more left than the limit (an extension)
  ])('%d of 240 minutes left → %s', (remaining, expected) => {
    expect(levelFor(remaining, LIMIT, PERCENT)).toBe(expected);
  });

  it('scales the line with the limit: 20 working days (8400 min) are due soon under 1680 minutes', () => {
    expect(levelFor(1679, 8400, PERCENT)).toBe('due_soon');
    expect(levelFor(1680, 8400, PERCENT)).toBe('none');
  });

  it('scales the line with the share', () => {
    expect(levelFor(100, LIMIT, 50)).toBe('due_soon'); // line 120
    expect(levelFor(120, LIMIT, 50)).toBe('none');
    expect(levelFor(100, LIMIT, 40)).toBe('none'); // line 96
  });

  it('with a share of 0 never says due soon, only overdue', () => {
    expect(levelFor(1, LIMIT, 0)).toBe('none');
    expect(levelFor(0, LIMIT, 0)).toBe('overdue');
  });

  it('with a share of 100 says due soon as soon as any time is gone', () => {
    expect(levelFor(LIMIT - 1, LIMIT, 100)).toBe('due_soon');
    expect(levelFor(LIMIT, LIMIT, 100)).toBe('none');
  });
});
