import { useState } from 'react';
import { App, Button, Empty, Popconfirm, Space, Tag, Typography } from 'antd';
import { PhoneOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { staffDutyLabels } from '@wangge/contracts';
import { errorMessage } from '../../api/client.ts';
import { useStaffMutations, type StaffView } from '../../api/grids.ts';
import { useCan } from '../../auth/session.tsx';
import { useLocale } from '../../i18n/index.ts';
import { StaffModal } from './StaffModal.tsx';

/** A grid's responsible people (三公开 roster): duty, name, phone, services; add / edit / end with grid.staff.manage. */
export function StaffTab({ gridId, staff }: { gridId: string; staff: StaffView[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { message } = App.useApp();
  const canManage = useCan()('grid.staff.manage');
  const { end } = useStaffMutations(gridId);
  const [editing, setEditing] = useState<StaffView | 'new' | null>(null);

  const finish = (s: StaffView) =>
    end.mutate(s.id, {
      onSuccess: () => void message.success(t('gridMap.staff.ended')),
      onError: (error) => void message.error(errorMessage(error)),
    });

  return (
    <>
      {canManage && (
        <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="staff-add" className="tab-action">
          {t('gridMap.staff.add')}
        </Button>
      )}
      {staff.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('gridMap.staff.none')} />
      ) : (
        <ul className="side-list">
          {staff.map((s) => (
            <li key={s.id} data-testid="staff-row">
              <div className="side-list-head">
                <Space size={6} wrap>
                  <Tag color="blue">{staffDutyLabels[s.duty][locale]}</Tag>
                  <Typography.Text strong>{s.name}</Typography.Text>
                  {s.phone && (
                    <Typography.Link href={`tel:${s.phone.replace(/\s/g, '')}`}>
                      <PhoneOutlined /> {s.phone}
                    </Typography.Link>
                  )}
                  {!s.isPublic && <Tag>{t('gridMap.staff.notPublic')}</Tag>}
                  {s.username && <Tag color="blue">{t('gridMap.staff.user')}: {s.username}</Tag>}
                </Space>
                {canManage && (
                  <Space size={0}>
                    <Button size="small" type="link" onClick={() => setEditing(s)}>
                      {t('gridMap.staff.edit')}
                    </Button>
                    <Popconfirm title={t('gridMap.staff.endConfirm', { name: s.name })} onConfirm={() => finish(s)}>
                      <Button size="small" type="link" danger>
                        {t('gridMap.staff.end')}
                      </Button>
                    </Popconfirm>
                  </Space>
                )}
              </div>
              {s.serviceItems && <Typography.Text type="secondary">{s.serviceItems}</Typography.Text>}
            </li>
          ))}
        </ul>
      )}
      <StaffModal gridId={gridId} staff={editing} onClose={() => setEditing(null)} />
    </>
  );
}
