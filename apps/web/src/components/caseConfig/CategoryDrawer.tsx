import { useEffect, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Checkbox, Divider, Drawer, Form, Input, InputNumber, Radio, Select, TreeSelect, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PRIORITIES, type Priority } from '@wangge/contracts';
import { caseConfigQueries, useCategoryMutations, type CategoryInput, type CategoryView } from '../../api/caseConfig.ts';
import { errorMessage } from '../../api/client.ts';
import { DialogFooter } from '../DialogFooter.tsx';
import { categoryName, subtreeIds, useCategories, type CategoryNode } from './categoryTree.ts';
import { useConfigLabels } from './useConfigLabels.ts';
import { ExtraFieldsEditor, type ExtraFieldValues } from './ExtraFieldsEditor.tsx';

/** `null`: closed; create below a parent (null = a top category); or edit a category. */
export type CategoryDrawerTarget = { kind: 'create'; parent: CategoryView | null } | { kind: 'edit'; category: CategoryNode } | null;

interface Values {
  parentId?: string | null;
  code: string;
  nameZh: string;
  nameEn?: string | null;
  defaultUnitId?: string | null;
  limitUnit: 'hours' | 'days';
  limits: Record<Priority, number>;
  verifyRequired: boolean;
  pausePending: boolean;
  active: boolean;
  open311Code?: string | null;
  extraFields: ExtraFieldValues[];
}

const CODE = /^[0-9A-Za-z_-]{1,24}$/;
const TOP_DEFAULTS = { limitUnit: 'days' as const, limits: { urgent: 1, high: 3, normal: 5 } };

/** The next free two-digit code below a parent (SJ01 with SJ0101…SJ0106 → SJ0107). */
function nextChildCode(parent: CategoryView, all: readonly CategoryView[]): string {
  const used = new Set(all.filter((c) => c.parentId === parent.id).map((c) => c.code));
  for (let n = 1; n < 100; n++) {
    const code = `${parent.code}${String(n).padStart(2, '0')}`;
    if (!used.has(code)) return code.slice(0, 24);
  }
  return parent.code;
}

function toBody(v: Values): CategoryInput {
  return {
    parentId: v.parentId ?? null,
    code: v.code.trim(),
    nameZh: v.nameZh.trim(),
    nameEn: v.nameEn?.trim() || null,
    defaultUnitId: v.defaultUnitId ?? null,
    limitUnit: v.limitUnit,
    limits: v.limits,
    verifyRequired: v.verifyRequired,
    pausePending: v.pausePending,
    active: v.active,
    open311Code: v.open311Code?.trim() || null,
    extraFields: (v.extraFields ?? []).map((f) => ({
      key: f.key.trim(),
      labelZh: f.labelZh.trim(),
      labelEn: f.labelEn.trim(),
      type: f.type,
      required: f.required ?? false,
      ...(f.type === 'select' ? { options: (f.options ?? []).map((o) => o.trim()).filter(Boolean) } : {}),
    })),
  };
}

/** Adds or edits a category, checked as CategoryBody is. Field ids categoryForm_<field>; submit test id category-form-submit. */
export function CategoryDrawer({ target, onClose, onSaved }: { target: CategoryDrawerTarget; onClose: () => void; onSaved?: (c: CategoryView) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useConfigLabels();
  const [form] = Form.useForm<Values>();
  const { create, update } = useCategoryMutations();
  const { list, byId, options } = useCategories();
  const units = useQuery(caseConfigQueries.units());
  const editing = target?.kind === 'edit' ? target.category : null;
  const mutation = editing ? update : create;
  const limitUnit = Form.useWatch('limitUnit', form) ?? 'days';

  useEffect(() => {
    if (!target) return;
    if (target.kind === 'edit') {
      const c = target.category;
      form.setFieldsValue({ ...c, extraFields: c.extraFields.map((f) => ({ ...f })) });
      return;
    }
    const p = target.parent;
    form.setFieldsValue({
      parentId: p?.id ?? null,
      code: p ? nextChildCode(p, list) : '',
      limitUnit: p?.limitUnit ?? TOP_DEFAULTS.limitUnit,
      limits: p ? { ...TOP_DEFAULTS.limits, ...p.limits } : TOP_DEFAULTS.limits,
      verifyRequired: p?.verifyRequired ?? true,
      pausePending: true,
      active: true,
      extraFields: [],
    });
    // Only when the drawer opens (the list is read then): a refresh meanwhile must not overwrite what was typed.
  }, [target, form]); // eslint-disable-line react-hooks/exhaustive-deps

  // A category may sit below a 大类 or 小类, never below itself or its own branch.
  const parentOptions = useMemo(
    () => options((c) => c.level < 3, editing ? subtreeIds(editing) : new Set()),
    [options, editing],
  );

  const unitOptions = useMemo(() => {
    const all = units.data ?? [];
    return (['department', 'area_office'] as const).map((kind) => ({
      label: labels.unitKind(kind),
      options: all.filter((u) => u.kind === kind).map((u) => ({ value: u.id, label: `${u.nameZh} (${u.areaName})` })),
    }));
  }, [units.data, labels]);

  const close = () => {
    create.reset();
    update.reset();
    form.resetFields();
    onClose();
  };

  const submit = (values: Values) => {
    const body = toBody(values);
    const done = (c: CategoryView, text: string) => {
      void message.success(text);
      close();
      onSaved?.(c);
    };
    if (editing) update.mutate({ id: editing.id, body }, { onSuccess: (c) => done(c, t('caseConfig.categoryForm.saved')) });
    else create.mutate(body, { onSuccess: (c) => done(c, t('caseConfig.categoryForm.created', { name: categoryName(c, labels.locale) })) });
  };

  const parent = target?.kind === 'create' ? target.parent : null;
  const title = editing
    ? t('caseConfig.categoryForm.editTitle', { name: categoryName(editing, labels.locale) })
    : parent
      ? t('caseConfig.categoryForm.createChildTitle', { parent: categoryName(parent, labels.locale), level: labels.level(parent.level + 1) })
      : t('caseConfig.categoryForm.createTitle');
  const parentOf = editing?.parentId ? byId.get(editing.parentId) : undefined;

  return (
    <Drawer
      open={target !== null}
      title={title}
      size={640}
      onClose={close}
      forceRender
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={mutation.isPending} testId="category-form-submit" />}
    >
      {mutation.error && <Alert type="error" showIcon title={errorMessage(mutation.error)} className="page-alert" data-testid="category-form-error" />}
      <Form form={form} name="categoryForm" layout="vertical" onFinish={submit} scrollToFirstError>
        <Form.Item name="parentId" label={t('caseConfig.categoryForm.parent')} extra={t('caseConfig.categoryForm.parentHint')}>
          <TreeSelect
            allowClear
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeData={parentOptions}
            placeholder={t('caseConfig.categoryForm.parentNone')}
            treeDefaultExpandedKeys={parentOf ? [parentOf.id] : parent ? [parent.id] : []}
            popupMatchSelectWidth={false}
          />
        </Form.Item>
        <div className="cc-form-row">
          <Form.Item
            name="code"
            label={t('caseConfig.categoryForm.code')}
            extra={t('caseConfig.categoryForm.codeHint')}
            rules={[{ required: true, message: t('caseConfig.categoryForm.codeHint') }, { pattern: CODE, message: t('caseConfig.categoryForm.codeHint') }]}
          >
            <Input maxLength={24} autoComplete="off" />
          </Form.Item>
          <Form.Item name="open311Code" label={t('caseConfig.categoryForm.open311Code')} extra={t('caseConfig.categoryForm.open311Hint')} rules={[{ max: 64 }]}>
            <Input maxLength={64} autoComplete="off" />
          </Form.Item>
        </div>
        <div className="cc-form-row">
          <Form.Item name="nameZh" label={t('caseConfig.categoryForm.nameZh')} rules={[{ required: true, whitespace: true, max: 60 }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('caseConfig.categoryForm.nameEn')} rules={[{ max: 100 }]}>
            <Input maxLength={100} placeholder={t('caseConfig.categoryForm.nameEnPlaceholder')} />
          </Form.Item>
        </div>
        <Form.Item name="defaultUnitId" label={t('caseConfig.categoryForm.defaultUnit')} extra={t('caseConfig.categoryForm.defaultUnitHint')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={units.isPending}
            options={unitOptions}
            placeholder={t('caseConfig.categoryForm.defaultUnitNone')}
          />
        </Form.Item>

        <Divider titlePlacement="start" plain>{t('caseConfig.categoryForm.limitsTitle')}</Divider>
        <Form.Item name="limitUnit" label={t('caseConfig.categoryForm.limitUnit')} extra={t('caseConfig.categoryForm.limitHint')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'hours', label: t('caseConfig.categories.unitHours') },
              { value: 'days', label: t('caseConfig.categories.unitDays') },
            ]}
          />
        </Form.Item>
        <div className="cc-form-row cc-form-row-3">
          {PRIORITIES.map((p) => (
            <Form.Item
              key={p}
              name={['limits', p]}
              label={labels.priority(p)}
              rules={[
                { required: true, message: t('caseConfig.categoryForm.limitRequired', { priority: labels.priority(p) }) },
                { type: 'number', min: 0.01, max: 10_000, message: t('caseConfig.categoryForm.limitRange') },
              ]}
            >
              <InputNumber
                min={0}
                max={10_000}
                step={limitUnit === 'hours' ? 0.5 : 1}
                suffix={limitUnit === 'hours' ? t('caseConfig.categories.unitHours') : t('caseConfig.categories.unitDays')}
                style={{ width: '100%' }}
                data-testid={`category-limit-input-${p}`}
              />
            </Form.Item>
          ))}
        </div>

        <Divider titlePlacement="start" plain>{t('caseConfig.categoryForm.flags')}</Divider>
        <Form.Item name="verifyRequired" valuePropName="checked" className="cc-check">
          <Checkbox>{t('caseConfig.categoryForm.verifyRequired')}</Checkbox>
        </Form.Item>
        <Form.Item name="pausePending" valuePropName="checked" className="cc-check" extra={t('caseConfig.categories.pauseHint')}>
          <Checkbox>{t('caseConfig.categoryForm.pausePending')}</Checkbox>
        </Form.Item>
        <Form.Item name="active" valuePropName="checked" className="cc-check" extra={t('caseConfig.categoryForm.activeHint')}>
          <Checkbox>{t('caseConfig.categoryForm.active')}</Checkbox>
        </Form.Item>

        <Divider titlePlacement="start" plain>{t('caseConfig.extraFields.title')}</Divider>
        <Typography.Paragraph type="secondary">{t('caseConfig.extraFields.hint')}</Typography.Paragraph>
        <ExtraFieldsEditor form={form} />
      </Form>
    </Drawer>
  );
}
