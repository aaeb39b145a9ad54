import { useEffect, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Form, Input, InputNumber, Modal, Select, Switch, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { caseConfigQueries, useRuleMutations, type RoutingRuleView, type RuleInput } from '../../api/caseConfig.ts';
import { errorMessage } from '../../api/client.ts';
import { DialogFooter } from '../DialogFooter.tsx';
import { AreaTreeSelect } from '../AreaTreeSelect.tsx';
import { categoryName, useCategories } from './categoryTree.ts';
import { useConfigLabels } from './useConfigLabels.ts';

/** `null`: closed; `{ rule: null }`: a new rule (after `nextSeq`); or a rule to edit. */
export type RuleModalTarget = { rule: RoutingRuleView | null; nextSeq: number } | null;

interface Values {
  seq: number;
  name: string;
  // undefined (not null) for "any": the area picker looks an area up for any other value.
  categoryId?: string;
  areaId?: string;
  unitId: string;
  active: boolean;
}

/**
 * Adds or edits a routing rule. An empty category or area means "any". The name is suggested from
 * the category and unit until the user types one. Field ids rule_<field>; submit test id rule-submit.
 */
export function RuleModal({ target, onClose }: { target: RuleModalTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useConfigLabels();
  const [form] = Form.useForm<Values>();
  const { create, update } = useRuleMutations();
  const categories = useCategories();
  const units = useQuery(caseConfigQueries.units());
  const editing = target?.rule ?? null;
  const mutation = editing ? update : create;

  useEffect(() => {
    if (!target) return;
    const r = target.rule;
    form.setFieldsValue(
      r
        ? { seq: r.seq, name: r.name, categoryId: r.categoryId ?? undefined, areaId: r.areaId ?? undefined, unitId: r.unitId, active: r.active }
        : { seq: target.nextSeq, active: true },
    );
  }, [target, form]);

  const unitOptions = useMemo(() => {
    const all = units.data ?? [];
    return (['department', 'area_office'] as const).map((kind) => ({
      label: labels.unitKind(kind),
      options: all.filter((u) => u.kind === kind).map((u) => ({ value: u.id, label: u.nameZh, area: u.areaName })),
    }));
  }, [units.data, labels]);
  const categoryOptions = useMemo(() => categories.options(), [categories]);

  /** Suggests "category → unit" while the name is empty or still the last suggestion. */
  const suggest = (changed: Partial<Values>, all: Values) => {
    if (!('categoryId' in changed) && !('unitId' in changed)) return;
    const category = all.categoryId ? categories.byId.get(all.categoryId) : undefined;
    const unit = units.data?.find((u) => u.id === all.unitId);
    if (!unit) return;
    const name = t('caseConfig.rules.suggestedName', {
      category: category ? categoryName(category, labels.locale) : t('caseConfig.rules.anyCategory'),
      unit: unit.nameZh,
    });
    if (!all.name || !form.isFieldTouched('name')) form.setFieldValue('name', name);
  };

  const close = () => {
    create.reset();
    update.reset();
    form.resetFields();
    onClose();
  };

  const submit = (v: Values) => {
    const body: RuleInput = {
      seq: v.seq,
      name: v.name.trim(),
      categoryId: v.categoryId ?? null,
      areaId: v.areaId ?? null,
      unitId: v.unitId,
      active: v.active,
    };
    const done = (text: string) => {
      void message.success(text);
      close();
    };
    if (editing) update.mutate({ id: editing.id, body }, { onSuccess: () => done(t('caseConfig.rules.saved')) });
    else create.mutate(body, { onSuccess: () => done(t('caseConfig.rules.created')) });
  };

  return (
    <Modal
      open={target !== null}
      title={editing ? t('caseConfig.rules.editTitle') : t('caseConfig.rules.createTitle')}
      width={560}
      onCancel={close}
      forceRender
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={mutation.isPending} testId="rule-submit" />}
    >
      {mutation.error && <Alert type="error" showIcon title={errorMessage(mutation.error)} className="page-alert" data-testid="rule-error" />}
      <Form form={form} name="rule" layout="vertical" onFinish={submit} onValuesChange={suggest}>
        <div className="cc-form-row">
          <Form.Item
            name="seq"
            label={t('caseConfig.rules.seq')}
            extra={t('caseConfig.rules.seqHint')}
            rules={[{ required: true, type: 'integer', min: 1, max: 1_000_000, message: t('caseConfig.rules.seqRequired') }]}
          >
            <InputNumber min={1} max={1_000_000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="active" label={t('caseConfig.common.status')} valuePropName="checked">
            <Switch checkedChildren={t('caseConfig.common.active')} unCheckedChildren={t('caseConfig.common.inactive')} />
          </Form.Item>
        </div>
        <Form.Item name="categoryId" label={t('caseConfig.rules.category')} extra={t('caseConfig.rules.categoryHint')}>
          <TreeSelect
            allowClear
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeData={categoryOptions}
            placeholder={t('caseConfig.rules.anyCategory')}
            popupMatchSelectWidth={false}
            loading={categories.query.isPending}
          />
        </Form.Item>
        <Form.Item name="areaId" label={t('caseConfig.rules.area')} extra={t('caseConfig.rules.areaHint')}>
          <AreaTreeSelect allowClear placeholder={t('caseConfig.rules.anyArea')} data-testid="rule-area" />
        </Form.Item>
        <Form.Item name="unitId" label={t('caseConfig.rules.unit')} rules={[{ required: true, message: t('common.pick', { field: t('caseConfig.rules.unit') }) }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={unitOptions}
            loading={units.isPending}
            optionRender={(o) => (
              <span className="cc-unit-option">
                {o.label}
                <span className="cc-unit-area">{(o.data as { area?: string }).area}</span>
              </span>
            )}
            data-testid="rule-unit"
          />
        </Form.Item>
        <Form.Item name="name" label={t('caseConfig.rules.name')} rules={[{ required: true, whitespace: true, max: 80 }]}>
          <Input maxLength={80} placeholder={t('caseConfig.rules.namePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
