import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Col, Form, Input, Radio, Row, Select, Spin, Switch, Typography } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CASE_SOURCES, PRIORITIES, type CaseSource, type Priority } from '@wangge/contracts';
import { ApiError } from '../api/client.ts';
import { areaQueries } from '../api/hooks.ts';
import { gridQueries } from '../api/grids.ts';
import { caseQueries, useIntake, useLocate, useRoutePreview, useSimilarCases, type CaseDetail, type IntakeInput } from '../api/cases.ts';
import { useCan, useSession } from '../auth/session.tsx';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { useDebounced } from '../lib/useDebounced.ts';
import { useCaseLabels } from '../components/cases/caseLabels.ts';
import { CategoryCascader } from '../components/cases/CategoryCascader.tsx';
import { ExtraFieldItems } from '../components/cases/ExtraFields.tsx';
import { AttachmentUpload } from '../components/cases/AttachmentUpload.tsx';
import { candidatesOf, LocatePanel } from '../components/cases/LocatePanel.tsx';
import { RoutePreview, SimilarList } from '../components/cases/RouteAndDuplicates.tsx';
import { IntakeResult } from '../components/cases/IntakeResult.tsx';
import type { LngLat } from '../components/gridmap/geometry.ts';
import '../components/cases/cases.css';

const PlaceMap = lazy(() => import('../components/cases/PlaceMap.tsx'));

interface Values {
  source: CaseSource;
  priority: Priority;
  categoryId?: string;
  description: string;
  address?: string;
  buildingId?: string;
  gridId?: string;
  reporterName?: string;
  reporterPhone?: string;
  extra?: Record<string, string | number | boolean | null | undefined>;
  attachmentIds?: string[];
  settle: boolean;
  settleNote?: string;
  dispatchNow: boolean;
}

const DESK_ROLES = ['command_center', 'street_center', 'community_staff'];
const GRID_ROLES = ['grid_leader', 'grid_worker'];
/** Server field names (400 details) that are form fields here. */
const FORM_FIELDS = new Set(['source', 'categoryId', 'priority', 'description', 'address', 'buildingId', 'gridId', 'reporterName', 'reporterPhone', 'settleNote']);
const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/;

const trimmed = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);

/** /intake — the intake desk (受理台) for hotline, walk-in and grid staff. Test ids intake-*, see the components. */
export default function IntakePage() {
  const { t } = useTranslation();
  usePageTitle(t('nav.intake'));
  const labels = useCaseLabels();
  const navigate = useNavigate();
  const me = useSession();
  const can = useCan();
  const roles = me.grants.map((g) => g.role as string);
  const atDesk = roles.some((r) => DESK_ROLES.includes(r));
  const inGrid = roles.some((r) => GRID_ROLES.includes(r));
  const canDispatch = can('case.dispatch');

  const [form] = Form.useForm<Values>();
  const [point, setPoint] = useState<LngLat | null>(null);
  const [uploading, setUploading] = useState(false);
  const [placeTried, setPlaceTried] = useState(false);
  const [created, setCreated] = useState<CaseDetail | null>(null);
  const intake = useIntake();

  const categoryId = Form.useWatch('categoryId', form);
  const description = Form.useWatch('description', form) ?? '';
  const chosenGrid = Form.useWatch('gridId', form);
  const settle = Form.useWatch('settle', form) ?? false;

  const roots = useQuery(areaQueries.roots());
  const rootId = roots.data?.[0]?.id ?? null;
  const categories = useQuery(caseQueries.categories());
  const category = categories.data?.find((c) => c.id === categoryId);
  const located = useLocate(point, 40);
  const candidates = useMemo(() => candidatesOf(located.data), [located.data]);
  const gridId = candidates.length > 0 ? chosenGrid : located.data?.grid?.id;
  const buildings = useQuery({ ...gridQueries.buildings(gridId ?? ''), enabled: gridId !== undefined });
  const route = useRoutePreview(categoryId, gridId);
  const words = useDebounced(description.trim(), 600);
  const similar = useSimilarCases({ categoryId, lon: point?.[0], lat: point?.[1], description: words || undefined });

  // A new place: the grid under it, unless it lies near a boundary and the operator must choose.
  useEffect(() => {
    if (!located.data) return;
    form.setFieldValue('gridId', candidates.length > 0 ? undefined : located.data.grid?.id);
  }, [located.data, candidates, form]);

  // Another category has other extra fields.
  useEffect(() => {
    form.setFieldValue('extra', {});
  }, [categoryId, form]);

  const pickBuilding = (id: string | undefined) => {
    const b = buildings.data?.find((x) => x.id === id);
    if (!b) return;
    if (!trimmed(form.getFieldValue('address') as string | undefined)) form.setFieldValue('address', b.address ?? b.name);
  };

  const submit = (v: Values) => {
    if (!point || !gridId) {
      setPlaceTried(true);
      return;
    }
    const extra = Object.fromEntries(Object.entries(v.extra ?? {}).filter((e): e is [string, string | number | boolean] => e[1] !== undefined && e[1] !== null && e[1] !== ''));
    const body: IntakeInput = {
      source: v.source, categoryId: v.categoryId!, priority: v.priority, description: v.description.trim(),
      lon: point[0], lat: point[1], gridId, extra, attachmentIds: v.attachmentIds ?? [],
      address: trimmed(v.address), buildingId: v.buildingId, reporterName: trimmed(v.reporterName), reporterPhone: trimmed(v.reporterPhone),
      ...(v.settle ? { settleNote: trimmed(v.settleNote) } : { dispatchNow: canDispatch && v.dispatchNow }),
    };
    intake.mutate(body, {
      onSuccess: setCreated,
      onError: (error) => {
        if (!(error instanceof ApiError) || !Array.isArray(error.details)) return;
        const fields = (error.details as Array<{ path?: string; message?: string }>)
          .filter((d) => d.path && FORM_FIELDS.has(d.path))
          .map((d) => ({ name: d.path as keyof Values, errors: [d.message ?? ''] }));
        if (fields.length) form.setFields(fields);
      },
    });
  };

  const restart = () => {
    setCreated(null);
    setPoint(null);
    setPlaceTried(false);
    intake.reset();
    form.resetFields();
  };

  const routeUnknown = route.data?.via === 'none';

  return (
    <Form<Values>
      form={form}
      name="intake"
      layout="vertical"
      onFinish={submit}
      onFinishFailed={() => setPlaceTried(true)}
      className="intake-page"
      initialValues={{ source: inGrid && !atDesk ? 'grid_worker' : 'hotline', priority: 'normal', description: '', settle: false, dispatchNow: false, extra: {} }}
      scrollToFirstError
    >
      <Row gutter={16}>
        <Col xs={24} xl={11}>
          <Card title={t('cases.intake.title')} className="intake-card">
            {intake.error && <Alert type="error" showIcon title={intake.error.message} className="page-alert" data-testid="intake-error" />}
            <Row gutter={16}>
              <Col span={10}>
                <Form.Item name="source" label={t('cases.fields.source')} rules={[{ required: true }]}>
                  <Select data-testid="intake-source" options={CASE_SOURCES.map((s) => ({ value: s, label: labels.source(s) }))} />
                </Form.Item>
              </Col>
              <Col span={14}>
                <Form.Item name="priority" label={t('cases.fields.priority')}>
                  <Radio.Group optionType="button" options={PRIORITIES.map((p) => ({ value: p, label: labels.priority(p) }))} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="categoryId" label={t('cases.fields.category')} rules={[{ required: true, message: t('cases.intake.categoryRequired') }]}>
              <CategoryCascader data-testid="intake-category" style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item
              name="description"
              label={t('cases.fields.description')}
              rules={[{ required: true, whitespace: true, min: 2, message: t('cases.intake.descriptionRequired') }]}
            >
              <Input.TextArea id="intake-description" rows={4} maxLength={4000} showCount placeholder={t('cases.intake.descriptionPlaceholder')} />
            </Form.Item>
            {category && category.extraFields.length > 0 && <ExtraFieldItems fields={category.extraFields} />}
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name="reporterName" label={t('cases.fields.reporterName')} rules={[{ max: 40 }]}>
                  <Input id="intake-reporter-name" maxLength={40} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item
                  name="reporterPhone"
                  label={t('cases.fields.reporterPhone')}
                  rules={[{ pattern: PHONE, message: t('cases.intake.phoneInvalid') }]}
                  extra={t('cases.intake.phoneHint')}
                >
                  <Input id="intake-reporter-phone" maxLength={20} inputMode="tel" />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="attachmentIds" label={t('cases.fields.attachments')} extra={t('cases.upload.hint')}>
              <AttachmentUpload onBusy={setUploading} data-testid="intake-upload" />
            </Form.Item>
            {inGrid && (
              <Form.Item name="settle" label={t('cases.intake.settle')} valuePropName="checked" extra={t('cases.intake.settleHint')}>
                <Switch data-testid="intake-settle" />
              </Form.Item>
            )}
            {settle && (
              <Form.Item name="settleNote" label={t('cases.intake.settleNote')} rules={[{ required: true, whitespace: true, min: 2, message: t('cases.intake.settleNoteRequired') }]}>
                <Input.TextArea id="intake-settle-note" rows={3} maxLength={2000} />
              </Form.Item>
            )}
            {canDispatch && !settle && (
              <Form.Item name="dispatchNow" valuePropName="checked" extra={routeUnknown ? t('cases.intake.dispatchNoUnit') : t('cases.intake.dispatchHint')}>
                <Checkbox data-testid="intake-dispatch-now" disabled={routeUnknown}>
                  {t('cases.intake.dispatchNow')}
                </Checkbox>
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" icon={<SendOutlined />} size="large" block loading={intake.isPending} disabled={uploading} data-testid="intake-submit">
              {t('cases.intake.submit')}
            </Button>
          </Card>
        </Col>
        <Col xs={24} xl={13}>
          <Card
            title={t('cases.intake.place')}
            className={`intake-card place-card${candidates.length > 0 ? ' place-card-warn' : ''}`}
            extra={point && <Typography.Text type="secondary" className="place-coords">{`${point[0].toFixed(6)}, ${point[1].toFixed(6)}`}</Typography.Text>}
          >
            <Suspense fallback={<Spin className="block-spin" />}>
              <PlaceMap
                areaId={rootId}
                at={point}
                onPick={setPoint}
                selectedId={gridId ?? null}
                markedIds={candidates.length > 0 ? candidates.map((c) => c.id) : undefined}
                buildings={buildings.data}
                className="intake-map"
              />
            </Suspense>
            <div className="locate-panel">
              <LocatePanel picked={point !== null} result={located.data} loading={located.isFetching} error={located.error} />
              {placeTried && !point && <Alert type="warning" showIcon title={t('cases.intake.placeRequired')} className="locate-missing" />}
            </div>
            <Row gutter={16}>
              <Col span={14}>
                <Form.Item name="address" label={t('cases.fields.address')} rules={[{ max: 200 }]}>
                  <Input id="intake-address" maxLength={200} placeholder={t('cases.intake.addressPlaceholder')} />
                </Form.Item>
              </Col>
              <Col span={10}>
                <Form.Item name="buildingId" label={t('cases.fields.building')}>
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    disabled={!gridId}
                    loading={buildings.isFetching}
                    placeholder={t(gridId ? 'cases.intake.buildingPlaceholder' : 'cases.intake.buildingNeedsGrid')}
                    options={(buildings.data ?? []).map((b) => ({ value: b.id, label: b.name }))}
                    onChange={pickBuilding}
                  />
                </Form.Item>
              </Col>
            </Row>
          </Card>
          <Card title={t('cases.intake.routeTitle')} size="small" className="intake-card">
            <RoutePreview ready={categoryId !== undefined && gridId !== undefined} route={route.data} loading={route.isFetching} error={route.error} />
          </Card>
          <Card title={t('cases.intake.similarTitle')} size="small" className="intake-card" extra={similar.isFetching && <Spin size="small" />}>
            <SimilarList ready={categoryId !== undefined || point !== null} items={similar.data} loading={similar.isFetching} />
          </Card>
        </Col>
      </Row>
      <IntakeResult created={created} onOpen={(id) => navigate(`/cases/${id}`)} onNext={restart} />
    </Form>
  );
}
