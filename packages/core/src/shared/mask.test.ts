import { describe, expect, it } from 'vitest';
import { maskName } from './mask.ts';

describe('maskName', () => {
  it('keeps the surname and stars the rest, one per character', () => {
    expect(maskName('张伟')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李女士')).toBe('李**');
    expect(maskName('𠀋子')).toBe('𠀋*');
  });
  it('never shows a one-character name whole, and leaves nothing for nothing', () => {
    expect(maskName('王')).toBe('王*');
    expect(maskName('  ')).toBe('');
  });
});
