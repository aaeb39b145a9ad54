import { useEffect } from 'react';
import { Alert, App, DatePicker, Form, Input, Modal, Radio, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSetCalendarDay, type CalendarDay } from '../../api/caseConfig.ts';
import { errorMessage } from '../../api/client.ts';
import { DialogFooter } from '../DialogFooter.tsx';

/** `null`: closed; a date to set (with its current entry, if it has one). */
export type DayModalTarget = { date: string; current: CalendarDay | null } | null;

interface Values {
  date: Dayjs;
  workday: boolean;
  name?: string;
}

/** Sets a day as a working day or a day off. Field ids calendarDay_<field>; submit test id calendar-day-submit. */
export function CalendarDayModal({ target, onClose, defaultWorkday }: { target: DayModalTarget; onClose: () => void; defaultWorkday: (date: string) => boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const setDay = useSetCalendarDay();

  useEffect(() => {
    if (!target) return;
    const c = target.current;
    // A new entry usually flips the plain rule: a weekday becomes a day off, a weekend day a working day.
    form.setFieldsValue({ date: dayjs(target.date), workday: c ? c.workday : !defaultWorkday(target.date), name: c?.name ?? '' });
  }, [target, form, defaultWorkday]);

  const close = () => {
    setDay.reset();
    form.resetFields();
    onClose();
  };

  const submit = (v: Values) => {
    const date = v.date.format('YYYY-MM-DD');
    setDay.mutate(
      { date, workday: v.workday, name: v.name?.trim() || null },
      {
        onSuccess: () => {
          void message.success(t('caseConfig.calendar.saved', { date, kind: t(v.workday ? 'caseConfig.calendar.workFull' : 'caseConfig.calendar.restFull') }));
          close();
        },
      },
    );
  };

  return (
    <Modal
      open={target !== null}
      title={t('caseConfig.calendar.dayTitle')}
      width={440}
      onCancel={close}
      forceRender
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={setDay.isPending} testId="calendar-day-submit" />}
    >
      <Typography.Paragraph type="secondary">{t('caseConfig.calendar.dayHint')}</Typography.Paragraph>
      {setDay.error && <Alert type="error" showIcon title={errorMessage(setDay.error)} className="page-alert" />}
      <Form form={form} name="calendarDay" layout="vertical" onFinish={submit}>
        <Form.Item name="date" label={t('caseConfig.calendar.dayDate')} rules={[{ required: true, message: t('caseConfig.calendar.dateRequired') }]}>
          <DatePicker
            allowClear={false}
            style={{ width: '100%' }}
            disabledDate={(d) => d.year() < 2000 || d.year() > 2100}
            onChange={(d: Dayjs | null) => d && form.setFieldValue('workday', !defaultWorkday(d.format('YYYY-MM-DD')))}
          />
        </Form.Item>
        <Form.Item name="workday" label={t('caseConfig.calendar.dayKind')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: false, label: t('caseConfig.calendar.holiday') },
              { value: true, label: t('caseConfig.calendar.workday') },
            ]}
          />
        </Form.Item>
        <Form.Item name="name" label={t('caseConfig.calendar.dayName')} rules={[{ max: 40 }]}>
          <Input maxLength={40} placeholder={t('caseConfig.calendar.dayNamePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
