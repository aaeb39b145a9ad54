import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** Audit actions the server writes today; others are shown by their code. */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.account_locked',
  'auth.logout',
  'auth.password_changed',
  'user.created',
  'user.updated',
  'user.disabled',
  'user.password_reset',
  'user.grant_added',
  'user.grant_removed',
  'area.updated',
  'area.imported',
  'audit.pruned',
  'demo.loaded',
  'grid.create',
  'grid.redraw',
  'grid.split',
  'grid.merge',
  'grid.retire',
  'grid.import',
  'grid.renumber',
  'grid.adjustment_reverted',
  'grid.staff_added',
  'grid.staff_updated',
  'grid.staff_ended',
  'building.created',
  'building.grid_pinned',
  'building.grid_unpinned',
] as const;
type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ENTITY_TYPES = ['user', 'area', 'audit', 'grid_staff', 'building', 'system'] as const;
type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

const isAction = (value: string): value is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(value);
const isEntityType = (value: string): value is AuditEntityType => (AUDIT_ENTITY_TYPES as readonly string[]).includes(value);

export function useAuditLabels() {
  const { t } = useTranslation();
  const action = useCallback((code: string) => (isAction(code) ? t(`audit.actions.${code}`) : code), [t]);
  const entityType = useCallback((code: string) => (isEntityType(code) ? t(`audit.entityTypes.${code}`) : code), [t]);
  return { action, entityType };
}
