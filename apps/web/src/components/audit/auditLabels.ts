import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { caseActionLabels, LEDGER_SPECS, LEDGERS, type LedgerKey } from '@wangge/contracts';
import { useLocale } from '../../i18n/index.ts';

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
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
] as const;

/** Case settings actions; a case's own transitions (`case.<action>`) are worded by the flow's labels in contracts. */
const CASE_CONFIG_ACTIONS = ['category_created', 'category_updated', 'categories_imported', 'rule_created', 'rule_updated', 'rule_deleted', 'calendar_day_set', 'calendar_day_deleted', 'reporter_phone_read', 'exported'] as const;
type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ENTITY_TYPES = ['user', 'area', 'audit', 'grid_staff', 'building', 'system', 'case', 'case_category', 'routing_rule', 'calendar_day', 'webhook', 'tag_def', 'registry_import'] as const;

/** Registry actions other than a ledger's own create/update/delete (`registry.<ledger>.<op>`), by their code with dots as underscores. */
const REGISTRY_ACTIONS = ['reveal', 'tag_add', 'tag_update', 'tag_end', 'tag_def_save', 'exported', 'import_batch', 'import_rolled_back', 'import_undone', 'import_interrupted'] as const;
const isLedger = (v: string): v is LedgerKey => (LEDGERS as readonly string[]).includes(v);
type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

const isAction = (value: string): value is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(value);
const isEntityType = (value: string): value is AuditEntityType => (AUDIT_ENTITY_TYPES as readonly string[]).includes(value);

export function useAuditLabels() {
  const { t } = useTranslation();
  const locale = useLocale();
  const action = useCallback((code: string) => {
    if (isAction(code)) return t(`audit.actions.${code}`);
    if (code.startsWith('case.')) {
      const rest = code.slice(5);
      if (rest in caseActionLabels) return `${t('audit.entityTypes.case')} · ${caseActionLabels[rest as keyof typeof caseActionLabels][locale]}`;
      if ((CASE_CONFIG_ACTIONS as readonly string[]).includes(rest)) return t(`audit.actions.caseConfig.${rest as (typeof CASE_CONFIG_ACTIONS)[number]}`);
    }
    if (code.startsWith('registry.')) {
      const [, first = '', op = ''] = code.split('.');
      if (isLedger(first) && (op === 'create' || op === 'update' || op === 'delete')) return `${LEDGER_SPECS[first].label[locale]} · ${t(`audit.actions.registry.${op}`)}`;
      const key = code.slice(9).replaceAll('.', '_');
      if ((REGISTRY_ACTIONS as readonly string[]).includes(key)) return t(`audit.actions.registry.${key as (typeof REGISTRY_ACTIONS)[number]}`);
    }
    return code;
  }, [t, locale]);
  const entityType = useCallback((code: string) => (isEntityType(code) ? t(`audit.entityTypes.${code}`) : isLedger(code) ? LEDGER_SPECS[code].label[locale] : code), [t, locale]);
  return { action, entityType };
}
