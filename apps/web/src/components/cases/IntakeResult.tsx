import { Alert, Button, Modal, Result, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../api/cases.ts';
import { CaseStateTags } from './CaseTags.tsx';

interface Props {
  created: CaseDetail | null;
  onOpen: (id: string) => void;
  onNext: () => void;
}

/**
 * After a case is registered: its number and the resident's tracking code, shown this once (the
 * server keeps only its hash). Test ids intake-result, intake-case-no, intake-tracking-code, intake-open-case, intake-next.
 */
export function IntakeResult({ created, onOpen, onNext }: Props) {
  const { t } = useTranslation();
  return (
    <Modal open={created !== null} footer={null} closable={false} mask={{ closable: false }} width={560} destroyOnHidden>
      {created && (
        <Result
          status="success"
          data-testid="intake-result"
          title={t('cases.intake.created')}
          subTitle={
            <span className="intake-result-no">
              {t('cases.no')}: <Typography.Text strong copyable data-testid="intake-case-no">{created.no}</Typography.Text>{' '}
              <CaseStateTags state={created.state} closingKind={created.closingKind} />
            </span>
          }
        >
          {created.trackingCode && (
            <div className="tracking-box">
              <Typography.Text type="secondary">{t('cases.intake.trackingCode')}</Typography.Text>
              <Typography.Text className="tracking-code" copyable data-testid="intake-tracking-code">
                {created.trackingCode}
              </Typography.Text>
              <Alert type="info" showIcon title={t('cases.intake.trackingHint')} />
            </div>
          )}
          <Space className="intake-result-actions">
            <Button type="primary" onClick={() => onOpen(created.id)} data-testid="intake-open-case">
              {t('cases.intake.openCase')}
            </Button>
            <Button onClick={onNext} data-testid="intake-next">
              {t('cases.intake.next')}
            </Button>
          </Space>
        </Result>
      )}
    </Modal>
  );
}
