import type { ReactNode } from 'react';
import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';

interface Props {
  onOk: () => void;
  okText?: string;
  loading?: boolean;
  /** data-testid of the confirm button. */
  testId: string;
  /** Left of the confirm button; defaults to a Cancel button calling onCancel. */
  secondary?: ReactNode;
  onCancel?: () => void;
}

/** Cancel + confirm buttons for a modal or drawer, the confirm one with a stable test id. */
export function DialogFooter({ onOk, okText, loading = false, testId, secondary, onCancel }: Props) {
  const { t } = useTranslation();
  return (
    <Space className="dialog-footer">
      {secondary ?? <Button onClick={onCancel}>{t('common.cancel')}</Button>}
      <Button type="primary" loading={loading} onClick={onOk} data-testid={testId}>
        {okText ?? t('common.save')}
      </Button>
    </Space>
  );
}
