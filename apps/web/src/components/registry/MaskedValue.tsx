import { useState } from 'react';
import { App, Button, Space, Tooltip, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useReveal, type LedgerKey } from '../../api/registry.ts';
import { errorMessage } from '../../api/client.ts';
import { useCan } from '../../auth/session.tsx';

interface Props {
  ledger: LedgerKey;
  recordId: string;
  field: string;
  fieldLabel: string;
  masked: string;
}

/**
 * A masked ID number or phone; for holders of registry.reveal an eye button that asks first (the
 * view is recorded) and then shows the full value. Test ids reveal-<field>, revealed-<field>.
 */
export function MaskedValue({ ledger, recordId, field, fieldLabel, masked }: Props) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const can = useCan();
  const reveal = useReveal(ledger, recordId);
  const [full, setFull] = useState<string | null>(null);

  if (full !== null) {
    return (
      <Typography.Text copyable={{ text: full }} data-testid={`revealed-${field}`} className="registry-revealed" onClick={(e) => e.stopPropagation()}>
        {full}
      </Typography.Text>
    );
  }

  const ask = () =>
    void modal.confirm({
      title: t('registry.mask.confirmTitle', { field: fieldLabel }),
      content: t('registry.mask.confirmBody'),
      okText: t('registry.mask.confirmOk'),
      okButtonProps: { 'data-testid': 'reveal-confirm' },
      onOk: () =>
        reveal
          .mutateAsync(field)
          .then((r) => {
            setFull(r.value ?? '');
            void message.info(t('registry.mask.recorded'));
          })
          .catch((error: unknown) => void message.error(errorMessage(error))),
    });

  return (
    <Space size={4} className="registry-masked">
      <span data-testid={`masked-${field}`}>{masked}</span>
      {can('registry.reveal') && (
        <Tooltip title={t('registry.mask.reveal')}>
          <Button
            type="text"
            size="small"
            icon={<EyeOutlined />}
            aria-label={t('registry.mask.reveal')}
            loading={reveal.isPending}
            data-testid={`reveal-${field}`}
            onClick={(e) => {
              e.stopPropagation();
              ask();
            }}
          />
        </Tooltip>
      )}
    </Space>
  );
}
