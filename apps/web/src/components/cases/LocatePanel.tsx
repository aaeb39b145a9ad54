import { Alert, Form, Radio, Space, Spin, Tag, Typography } from 'antd';
import { AimOutlined, EnvironmentOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { LocateResult } from '../../api/cases.ts';
import { errorMessage } from '../../api/client.ts';

type Located = LocateResult['basic'][number];

/** The grids an operator must choose between: the one under the point and those whose boundary is near it. */
export function candidatesOf(r: LocateResult | undefined): Located[] {
  if (!r || r.nearBoundary.length === 0) return [];
  const all = [...(r.grid ? [r.grid] : []), ...r.nearBoundary];
  return all.filter((g, i) => all.findIndex((o) => o.id === g.id) === i);
}

interface Props {
  picked: boolean;
  result: LocateResult | undefined;
  loading: boolean;
  error: unknown;
}

/**
 * Where the picked place is (test id intake-located: the grid, its code and the path above it).
 * Near a boundary every candidate grid is offered and one must be confirmed (form field gridId,
 * test ids grid-choice-<code>): sending a case to the wrong grid is the commonest complaint.
 */
export function LocatePanel({ picked, result, loading, error }: Props) {
  const { t } = useTranslation();
  const candidates = candidatesOf(result);

  if (!picked) {
    return (
      <Typography.Text type="secondary" className="locate-hint">
        <AimOutlined /> {t('cases.intake.pickHint')}
      </Typography.Text>
    );
  }
  if (loading && !result) return <Spin size="small" />;
  if (error) return <Alert type="error" showIcon title={errorMessage(error)} />;
  if (!result) return null;

  const path = result.path.filter((a) => a.level !== 'grid').map((a) => a.name).join(' › ');
  const tentative = candidates.length > 0;
  const located = result.grid && (
    <div className={tentative ? 'located located-tentative' : 'located'} data-testid="intake-located" data-code={result.grid.code}>
      <EnvironmentOutlined className="located-icon" />
      <div>
        <Typography.Text strong>{result.grid.name}</Typography.Text>
        <Typography.Text type="secondary" className="located-code">
          {result.grid.code}
        </Typography.Text>
        <div className="located-path">{path}</div>
        {result.dedicated.length > 0 && (
          <div className="located-path">
            {t('cases.intake.alsoDedicated', { names: result.dedicated.map((d) => d.name).join('、') })}
          </div>
        )}
      </div>
    </div>
  );

  if (candidates.length > 0) {
    return (
      <div className="boundary-confirm" data-testid="boundary-confirm">
        {located}
        <Alert
          type="warning"
          showIcon
          icon={<WarningOutlined />}
          title={t('cases.intake.nearBoundaryTitle')}
          description={t('cases.intake.nearBoundaryHint', { count: candidates.length })}
        />
        <Form.Item name="gridId" rules={[{ required: true, message: t('cases.intake.confirmGridRequired') }]} className="boundary-choices">
          <Radio.Group>
            <Space orientation="vertical">
              {candidates.map((g) => (
                <Radio key={g.id} value={g.id}>
                  <span data-testid={`grid-choice-${g.code}`}>
                    {g.name} <Typography.Text type="secondary">{g.code}</Typography.Text>
                    {g.id === result.grid?.id && <Tag color="blue" className="choice-tag">{t('cases.intake.underPoint')}</Tag>}
                  </span>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
      </div>
    );
  }

  if (!result.grid) return <Alert type="error" showIcon title={t('cases.intake.outsideGrids')} data-testid="intake-outside" />;
  return located;
}
