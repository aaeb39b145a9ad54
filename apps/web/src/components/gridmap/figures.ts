import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { GRID_FIGURES } from '@wangge/contracts';
import type { GridFeature } from '../../api/grids.ts';

type KnownFigure = (typeof GRID_FIGURES)[number];
const isKnown = (key: string): key is KnownFigure => (GRID_FIGURES as readonly string[]).includes(key);

/** Figures to show: the known ones in their order, then any the server sends that we have no name for yet. */
export function figureKeys(figures: readonly Record<string, number>[]): string[] {
  const extra = new Set(figures.flatMap((f) => Object.keys(f)).filter((k) => !isKnown(k)));
  return [...GRID_FIGURES, ...[...extra].sort()];
}

export interface Domain {
  min: number;
  max: number;
}

/** The range of a figure over the basic grids: only they are coloured (dedicated grids are hatched). */
export function figureDomain(features: readonly GridFeature[], figure: string): Domain | null {
  const values = features
    .filter((f) => f.properties.gridType === 'basic')
    .map((f) => f.properties.figures[figure])
    .filter((v): v is number => typeof v === 'number');
  return values.length > 0 ? { min: Math.min(...values), max: Math.max(...values) } : null;
}

export const formatFigure = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2));

/** The name of a figure in the current language; a figure added on the server shows its key until named here. */
export function useFigureLabel() {
  const { t } = useTranslation();
  return useCallback((key: string) => (isKnown(key) ? t(`gridMap.figures.${key}`) : key), [t]);
}
