import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { GRID_FIGURES } from '@wangge/contracts';
import type { GridFeature } from '../../api/grids.ts';

type KnownFigure = (typeof GRID_FIGURES)[number];
const isKnown = (key: string): key is KnownFigure => (GRID_FIGURES as readonly string[]).includes(key);

/**
 * The registry's figures of a grid (台账): households, people, party members, people who need care,
 * and the completeness score (0..1, shown as a percentage). The server puts them under these keys.
 */
export const REGISTRY_FIGURES = ['households', 'people', 'party', 'care', 'completeness'] as const;
type RegistryFigure = (typeof REGISTRY_FIGURES)[number];
const isRegistry = (key: string): key is RegistryFigure => (REGISTRY_FIGURES as readonly string[]).includes(key);

/** Figures that are shares (0..1) and read as percentages. */
const SHARES: ReadonlySet<string> = new Set<RegistryFigure>(['completeness']);

/** Figures to show: the known ones in their order, then any the server sends that we have no name for yet. */
export function figureKeys(figures: readonly Record<string, number>[]): string[] {
  const extra = new Set(figures.flatMap((f) => Object.keys(f)).filter((k) => !isKnown(k) && !isRegistry(k)));
  return [...GRID_FIGURES, ...REGISTRY_FIGURES, ...[...extra].sort()];
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

/** A figure's value as shown: shares as percentages (0.875 → 87.5%), counts as they are, other numbers to two places. */
export function formatFigure(value: number, figure?: string): string {
  if (figure !== undefined && SHARES.has(figure)) return `${Math.round(value * 1000) / 10}%`;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** The name of a figure in the current language; a figure added on the server shows its key until named here. */
export function useFigureLabel() {
  const { t } = useTranslation();
  return useCallback(
    (key: string) => (isKnown(key) ? t(`gridMap.figures.${key}`) : isRegistry(key) ? t(`registry.figures.${key}`) : key),
    [t],
  );
}
