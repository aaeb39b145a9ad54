import { useEffect, useState } from 'react';
import { App, Upload, type UploadFile } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import { uploadAttachment, type AttachmentView } from '../../api/cases.ts';

const MAX_FILES = 9;

interface Props {
  id?: string;
  /** Ids of the uploaded files, in order; set to [] (or undefined) from outside to start over. */
  value?: string[];
  onChange?: (ids: string[]) => void;
  /** Reports whether an upload is still running (submit waits for it). */
  onBusy?: (busy: boolean) => void;
  'data-testid'?: string;
}

/** Photos and voice notes: each file goes to POST /api/attachments as it is picked; the form keeps their ids. */
export function AttachmentUpload({ value, onChange, onBusy, ...rest }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [files, setFiles] = useState<UploadFile<AttachmentView>[]>([]);

  // The form was reset: forget the files too.
  useEffect(() => {
    if (!value || value.length === 0) setFiles((list) => (list.some((f) => f.status === 'done') ? list.filter((f) => f.status === 'uploading') : list));
  }, [value]);

  const report = (list: UploadFile<AttachmentView>[]) => {
    setFiles(list);
    onBusy?.(list.some((f) => f.status === 'uploading'));
    onChange?.(list.flatMap((f) => (f.status === 'done' && f.response ? [f.response.id] : [])));
  };

  return (
    <Upload<AttachmentView>
      {...rest}
      listType="picture-card"
      accept="image/*,audio/*"
      multiple
      maxCount={MAX_FILES}
      fileList={files}
      onChange={({ fileList }) => report(fileList.filter((f) => f.status !== 'error'))}
      customRequest={({ file, onSuccess, onError }) => {
        const controller = new AbortController();
        uploadAttachment(file as Blob, controller.signal)
          .then((view) => onSuccess?.(view))
          .catch((error: unknown) => {
            void message.error(errorMessage(error));
            onError?.(error instanceof Error ? error : new Error(String(error)));
          });
        return { abort: () => controller.abort() };
      }}
    >
      {files.length < MAX_FILES && (
        <button type="button" className="upload-trigger">
          <PlusOutlined />
          <span>{t('cases.upload.add')}</span>
        </button>
      )}
    </Upload>
  );
}
