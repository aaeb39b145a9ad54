import { useMemo } from 'react';
import type { TableColumnsType } from 'antd';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RegistryRecord } from '../../api/registry.ts';
import { FieldValue } from './FieldValue.tsx';
import type { LedgerSpec, RegistryLabels } from './registrySpec.ts';

/** Width of a column by its field's type (the table scrolls sideways past the sum). */
const WIDTH: Record<string, number> = { idno: 210, phone: 160, date: 110, bool: 80, int: 80, number: 100, lon: 110, lat: 110, code: 120, ref: 160, uscc: 190 };

/** The list columns of a ledger: its `list` fields from the ledger table, then the grid. */
export function useRecordColumns(spec: LedgerSpec, labels: RegistryLabels): { columns: TableColumnsType<RegistryRecord>; width: number } {
  const { t } = useTranslation();
  return useMemo(() => {
    const fields = spec.fields.filter((f) => f.list);
    const columns: TableColumnsType<RegistryRecord> = fields.map((field) => ({
      key: field.key,
      title: labels.field(field),
      width: WIDTH[field.type] ?? (field.key === spec.title ? 180 : 160),
      ellipsis: field.type === 'text' || field.type === 'longtext',
      ...(field.key === spec.title ? { fixed: 'left' as const } : {}),
      render: (_v: unknown, record: RegistryRecord) =>
        field.key === spec.title ? (
          <Typography.Text strong data-testid="record-title">
            <FieldValue record={record} field={field} labels={labels} />
          </Typography.Text>
        ) : (
          <FieldValue record={record} field={field} labels={labels} />
        ),
    }));
    columns.push({ key: 'grid', title: t('registry.common.grid'), width: 160, ellipsis: true, render: (_v, r) => r.gridName });
    const width = columns.reduce((sum, c) => sum + (typeof c.width === 'number' ? c.width : 160), 0);
    return { columns, width };
  }, [spec, labels, t]);
}
