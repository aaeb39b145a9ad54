import { useCallback, useMemo, useState, type HTMLAttributes } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Calendar, Col, DatePicker, Row, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ClockCircleOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
// dayjs comes with antd: the calendar's values, and its month and weekday names in Chinese.
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useTranslation } from 'react-i18next';
import { caseConfigQueries, type CalendarDay } from '../../api/caseConfig.ts';
import { errorMessage } from '../../api/client.ts';
import { useConfigLabels } from './useConfigLabels.ts';
import { CalendarDayModal, type DayModalTarget } from './CalendarDayModal.tsx';

const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
const plainWorkday = (date: string) => !isWeekend(date);

/**
 * The working calendar of a year: its holidays and 调休 working days, a month view with 休/班 marks,
 * the working hours. Test ids calendar-year, calendar-unpublished, calendar-hours, calendar-add,
 * calendar-table, calendar-day-<date>, calendar-month.
 */
export function CalendarTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const labels = useConfigLabels();
  const [month, setMonth] = useState<Dayjs>(() => dayjs().startOf('month'));
  const year = month.year();
  const calendar = useQuery(caseConfigQueries.calendar(year));
  const [modal, setModal] = useState<DayModalTarget>(null);

  const byDate = useMemo(() => new Map((calendar.data?.days ?? []).map((d) => [d.date, d])), [calendar.data]);
  const days = calendar.data?.days ?? [];
  const holidays = days.filter((d) => !d.workday).length;
  const workdays = days.length - holidays;

  const openDay = useCallback((date: string) => canEdit && setModal({ date, current: byDate.get(date) ?? null }), [canEdit, byDate]);

  const columns: TableColumnsType<CalendarDay> = [
    {
      key: 'date',
      title: t('caseConfig.calendar.date'),
      dataIndex: 'date',
      width: 112,
      render: (v: string) =>
        canEdit ? (
          <Button type="link" size="small" className="cc-date-link" onClick={() => openDay(v)} data-testid={`calendar-edit-${v}`}>
            {v} <EditOutlined />
          </Button>
        ) : (
          <span className="cc-date">{v}</span>
        ),
    },
    { key: 'weekday', title: t('caseConfig.calendar.weekday'), width: 90, render: (_v, d) => <span className={isWeekend(d.date) ? 'cc-weekend' : ''}>{labels.weekday(d.date)}</span> },
    {
      key: 'kind',
      title: t('caseConfig.calendar.kind'),
      width: labels.locale === 'en' ? 170 : 110,
      render: (_v, d) => (
        <Tag color={d.workday ? 'blue' : 'red'} className="cc-day-tag">
          {t(d.workday ? 'caseConfig.calendar.workFull' : 'caseConfig.calendar.restFull')}
        </Tag>
      ),
    },
    { key: 'name', title: t('caseConfig.calendar.name'), render: (_v, d) => labels.dayName(d) },
    {
      key: 'source',
      title: t('caseConfig.calendar.source'),
      width: 120,
      render: (_v, d) => <Typography.Text type={d.source === 'admin' ? 'warning' : 'secondary'}>{t(`caseConfig.calendar.sources.${d.source}`)}</Typography.Text>,
    },
  ];

  const cell = (current: Dayjs) => {
    const date = current.format('YYYY-MM-DD');
    const entry = byDate.get(date);
    const inMonth = current.month() === month.month();
    const off = entry ? !entry.workday : isWeekend(date);
    const className = ['cc-cal-cell', off ? 'cc-cal-off' : '', entry ? (entry.workday ? 'cc-cal-work' : 'cc-cal-holiday') : '', current.isSame(dayjs(), 'day') ? 'cc-cal-today' : '']
      .filter(Boolean)
      .join(' ');
    return (
      <div className={className} title={entry ? labels.dayName(entry) : undefined} data-date={inMonth ? date : undefined}>
        <span className="cc-cal-num">{current.date()}</span>
        {entry && <span className="cc-cal-mark">{t(entry.workday ? 'caseConfig.calendar.work' : 'caseConfig.calendar.rest')}</span>}
      </div>
    );
  };

  const hours = calendar.data ? Math.round((calendar.data.minutesPerDay / 60) * 10) / 10 : 0;

  return (
    <>
      <div className="cc-toolbar">
        <Space wrap size="middle">
          <Space>
            <Typography.Text>{t('caseConfig.calendar.year')}</Typography.Text>
            <DatePicker
              picker="year"
              allowClear={false}
              value={month}
              onChange={(d: Dayjs | null) => d && setMonth(d.month(d.year() === year ? month.month() : 0).startOf('month'))}
              disabledDate={(d) => d.year() < 2000 || d.year() > 2100}
              data-testid="calendar-year"
            />
          </Space>
          {days.length > 0 && (
            <Typography.Text type="secondary">{t('caseConfig.calendar.count', { year, holidays, workdays })}</Typography.Text>
          )}
        </Space>
        {canEdit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ date: month.format('YYYY-MM-DD'), current: byDate.get(month.format('YYYY-MM-DD')) ?? null })} data-testid="calendar-add">
            {t('caseConfig.calendar.addDay')}
          </Button>
        )}
      </div>
      {calendar.isError && <Alert type="error" showIcon title={errorMessage(calendar.error)} className="page-alert" />}
      {calendar.data && !calendar.data.published && (
        <Alert
          type="warning"
          showIcon
          className="page-alert"
          data-testid="calendar-unpublished"
          title={t('caseConfig.calendar.unpublishedTitle', { year })}
          description={t('caseConfig.calendar.unpublishedBody', { year })}
        />
      )}
      {calendar.data && (
        <div className="cc-hours" data-testid="calendar-hours">
          <ClockCircleOutlined />
          <span>
            {t('caseConfig.calendar.workingHours', { periods: calendar.data.workingHours.split(',').join(labels.locale === 'en' ? ', ' : '，') })}
          </span>
          <Typography.Text type="secondary">{t('caseConfig.calendar.minutesPerDay', { minutes: calendar.data.minutesPerDay, hours })}</Typography.Text>
        </div>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10} xxl={8}>
          <div className="cc-month" data-testid="calendar-month">
            <Calendar
              fullscreen={false}
              value={month}
              onPanelChange={(d) => setMonth(d.startOf('month'))}
              onSelect={(d, info) => {
                if (info.source === 'date') {
                  if (d.month() !== month.month()) setMonth(d.startOf('month'));
                  openDay(d.format('YYYY-MM-DD'));
                }
              }}
              validRange={[dayjs('2000-01-01'), dayjs('2100-12-31')]}
              fullCellRender={(current, info) => (info.type === 'date' ? cell(current) : info.originNode)}
            />
            <div className="cc-legend">
              <span><span className="cc-cal-mark cc-legend-rest">{t('caseConfig.calendar.rest')}</span> {t('caseConfig.calendar.restFull')}</span>
              <span><span className="cc-cal-mark cc-legend-work">{t('caseConfig.calendar.work')}</span> {t('caseConfig.calendar.workFull')}</span>
              {canEdit && <Typography.Text type="secondary">{t('caseConfig.calendar.clickHint')}</Typography.Text>}
            </div>
          </div>
        </Col>
        <Col xs={24} lg={14} xxl={16}>
          <div data-testid="calendar-table">
            <Table<CalendarDay>
              rowKey="date"
              size="small"
              columns={columns}
              dataSource={days}
              loading={calendar.isFetching && !calendar.data}
              pagination={false}
              scroll={{ x: 600, y: 460 }}
              locale={{ emptyText: t('caseConfig.calendar.empty') }}
              onRow={(d) => ({ 'data-testid': `calendar-day-${d.date}` }) as HTMLAttributes<HTMLElement>}
            />
          </div>
        </Col>
      </Row>
      <CalendarDayModal target={modal} onClose={() => setModal(null)} defaultWorkday={plainWorkday} />
    </>
  );
}
