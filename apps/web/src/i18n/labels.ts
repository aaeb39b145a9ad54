import { useMemo } from 'react';
import { areaLevelLabels, gridTypeLabels, roleLabels, type AreaLevel, type GridType, type Role } from '@wangge/contracts';
import { useLocale } from './index.ts';

interface Named {
  nameZh: string;
  nameEn: string | null;
}

/** Labels that come from the shared contracts (roles, levels, grid types), in the current language. */
export function useLabels() {
  const locale = useLocale();
  return useMemo(
    () => ({
      locale,
      role: (role: Role) => roleLabels[role][locale],
      level: (level: AreaLevel) => areaLevelLabels[level][locale],
      gridType: (type: GridType) => gridTypeLabels[type][locale],
      areaName: (area: Named) => (locale === 'en' && area.nameEn ? area.nameEn : area.nameZh),
    }),
    [locale],
  );
}

export const levelColors: Record<AreaLevel, string> = {
  province: 'magenta',
  city: 'purple',
  district: 'geekblue',
  street: 'blue',
  community: 'cyan',
  grid: 'green',
};
