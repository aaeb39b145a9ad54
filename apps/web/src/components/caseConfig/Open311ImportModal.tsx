import { useMemo, useState } from 'react';
import { Alert, Button, Input, Modal, Space, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Open311ServiceList } from '@wangge/contracts';
import { useCategoryMutations, type Open311Services } from '../../api/caseConfig.ts';
import { errorMessage } from '../../api/client.ts';
import { DialogFooter } from '../DialogFooter.tsx';

type Parsed = { ok: true; services: Open311Services; groups: number } | { ok: false; message: string } | null;

/**
 * Imports an Open311 GeoReport v2 services.json (pasted or uploaded) as categories, then shows how
 * many were added and updated. Test ids open311-text, open311-submit, open311-result.
 */
export function Open311ImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { importOpen311 } = useCategoryMutations();
  const [text, setText] = useState('');

  // Checked as the server will check it, so a wrong file is explained before it is sent.
  const parsed = useMemo((): Parsed => {
    if (!text.trim()) return null;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return { ok: false, message: t('caseConfig.open311.invalidJson', { detail: error instanceof Error ? error.message : '' }) };
    }
    const result = Open311ServiceList.safeParse(json);
    if (!result.success) {
      const issue = result.error.issues[0];
      const path = issue?.path.map((p) => (typeof p === 'number' ? p + 1 : String(p))).join('.') || '—';
      return { ok: false, message: t('caseConfig.open311.invalidList', { path, detail: issue?.message ?? '' }) };
    }
    const groups = new Set(result.data.map((s) => s.group?.trim() || 'Open311')).size;
    return { ok: true, services: json as Open311Services, groups };
  }, [text, t]);

  const close = () => {
    importOpen311.reset();
    setText('');
    onClose();
  };

  const submit = () => {
    if (parsed?.ok) importOpen311.mutate(parsed.services);
  };

  const done = importOpen311.data;

  return (
    <Modal
      open={open}
      title={t('caseConfig.open311.title')}
      width={680}
      onCancel={close}
      destroyOnHidden
      footer={
        done ? (
          <Button type="primary" onClick={close}>{t('caseConfig.common.ok')}</Button>
        ) : (
          <DialogFooter
            onOk={submit}
            onCancel={close}
            loading={importOpen311.isPending}
            okText={t('caseConfig.open311.submit')}
            testId="open311-submit"
          />
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('caseConfig.open311.hint')}</Typography.Paragraph>
      {done ? (
        <Alert type="success" showIcon data-testid="open311-result" title={t('caseConfig.open311.done', { created: done.created, updated: done.updated })} />
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Upload
            accept=".json,application/json"
            showUploadList={false}
            beforeUpload={(file) => {
              void file.text().then(setText);
              return Upload.LIST_IGNORE;
            }}
          >
            <Button icon={<UploadOutlined />}>{t('caseConfig.open311.upload')}</Button>
          </Upload>
          <Input.TextArea
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={10}
            spellCheck={false}
            className="cc-mono"
            placeholder={t('caseConfig.open311.placeholder')}
            data-testid="open311-text"
          />
          {parsed === null && importOpen311.isIdle && <Typography.Text type="secondary">{t('caseConfig.open311.empty')}</Typography.Text>}
          {parsed?.ok === false && <Alert type="warning" showIcon title={parsed.message} />}
          {parsed?.ok && <Alert type="info" showIcon title={t('caseConfig.open311.parsed', { services: parsed.services.length, groups: parsed.groups })} />}
          {importOpen311.error && <Alert type="error" showIcon title={errorMessage(importOpen311.error)} />}
        </Space>
      )}
    </Modal>
  );
}
