/**
 * A person's name as someone who may not know who it is sees it: the surname (first character)
 * and one star per further character — 张伟 → 张*, 欧阳娜娜 → 欧***, 李女士 → 李**. Characters, not
 * UTF-16 units, so a name with a character outside the BMP keeps its length.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0]! + '*'.repeat(Math.max(1, chars.length - 1));
}
