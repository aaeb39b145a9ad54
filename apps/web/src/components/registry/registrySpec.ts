import { useCallback, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { LEDGER_SPECS, LEDGERS, type DictItem, type FieldSpec, type LedgerKey, type LedgerSpec, type Text } from '@wangge/contracts';
import { registryQueries, type TagDef } from '../../api/registry.ts';
import { useLocale } from '../../i18n/index.ts';

export { LEDGER_SPECS, LEDGERS };
export type { FieldSpec, LedgerKey, LedgerSpec };

export const isLedger = (v: string | undefined | null): v is LedgerKey => v !== undefined && v !== null && (LEDGERS as readonly string[]).includes(v);

/** A ledger's title value (the field that names its records). */
export function recordTitle(spec: LedgerSpec, values: Record<string, unknown>): string {
  const v = values[spec.title];
  return v === null || v === undefined ? '' : String(v);
}

/** What a user fills in: every field that is not derived by the system. */
export const writableFields = (spec: LedgerSpec): FieldSpec[] => spec.fields.filter((f) => !f.derived);

/** The field a `parent` ledger takes its grid from. */
export const parentFieldOf = (spec: LedgerSpec): FieldSpec | undefined =>
  spec.locate === 'parent' ? spec.fields.find((f) => f.key === spec.parentField) : undefined;

export interface Relation {
  /** The ledger whose records point here. */
  ledger: LedgerKey;
  /** Their field that points here. */
  field: FieldSpec;
}

/**
 * Records of other ledgers that point to a record of `ledger` (a household's members, a house's
 * households and residents, a building's entrances, houses and organisations): read from the
 * ledger table's ref fields, so a new reference shows up without another list here.
 */
export function relationsOf(ledger: LedgerKey): Relation[] {
  return LEDGERS.flatMap((other) => LEDGER_SPECS[other].fields.filter((f) => f.type === 'ref' && f.ref === ledger).map((field) => ({ ledger: other, field })));
}

/**
 * The registry's words in the current language: ledgers and fields from the ledger table, codes
 * from the code tables the server sends (/api/registry/spec), tags by their names.
 */
export function useRegistryLabels() {
  const locale = useLocale();
  const spec = useQuery(registryQueries.spec());
  const dicts = useMemo(() => {
    const byName = new Map<string, Map<string, DictItem>>();
    for (const d of spec.data?.dicts ?? []) byName.set(d.name, new Map(d.items.map((i) => [i.code, i])));
    return byName;
  }, [spec.data]);
  const tags = useMemo(() => new Map((spec.data?.tags ?? []).map((tag) => [tag.code, tag])), [spec.data]);

  const text = useCallback((t: Text) => t[locale], [locale]);
  const code = useCallback(
    (dict: string | undefined, value: unknown): string => {
      if (value === null || value === undefined || value === '') return '';
      const item = dict ? dicts.get(dict)?.get(String(value)) : undefined;
      if (!item) return String(value);
      return locale === 'en' ? item.labelEn : item.labelZh;
    },
    [dicts, locale],
  );
  /** The options of a code table (active codes only, plus `keep` when a record still holds a retired one). */
  const options = useCallback(
    (dict: string | undefined, keep?: unknown) => {
      const items = dict ? [...(dicts.get(dict)?.values() ?? [])] : [];
      return items
        .filter((i) => i.active || i.code === keep)
        .map((i) => ({ value: i.code, label: locale === 'en' ? i.labelEn : i.labelZh }));
    },
    [dicts, locale],
  );
  const named = useCallback((n: { nameZh: string; nameEn: string }) => (locale === 'en' ? n.nameEn : n.nameZh), [locale]);
  const tagName = useCallback((tag: string) => {
    const def = tags.get(tag);
    return def ? named(def) : tag;
  }, [tags, named]);
  const tagField = useCallback((f: { labelZh: string; labelEn: string }) => (locale === 'en' ? f.labelEn : f.labelZh), [locale]);

  return useMemo(
    () => ({
      locale,
      loading: spec.isPending,
      error: spec.error,
      dicts: spec.data?.dicts ?? [],
      tagDefs: spec.data?.tags ?? ([] as TagDef[]),
      ledger: (key: LedgerKey) => LEDGER_SPECS[key].label[locale],
      field: (f: FieldSpec) => f.label[locale],
      text,
      code,
      options,
      named,
      tagName,
      tagField,
    }),
    [locale, spec.isPending, spec.error, spec.data, text, code, options, named, tagName, tagField],
  );
}

export type RegistryLabels = ReturnType<typeof useRegistryLabels>;
