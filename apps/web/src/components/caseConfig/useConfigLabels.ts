import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { priorityLabels, unitKindLabels, WEBHOOK_EVENTS, type Priority, type UNIT_KINDS } from '@wangge/contracts';
import type { CalendarDay } from '../../api/caseConfig.ts';
import { useLocale } from '../../i18n/index.ts';

type UnitKind = (typeof UNIT_KINDS)[number];
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The national holidays as chinese-days names them, and their message keys. */
const HOLIDAYS = {
  元旦: 'newYear',
  春节: 'springFestival',
  清明: 'qingming',
  劳动节: 'labourDay',
  端午: 'dragonBoat',
  中秋: 'midAutumn',
  国庆节: 'nationalDay',
} as const;
type HolidayKey = (typeof HOLIDAYS)[keyof typeof HOLIDAYS];
const MAKE_UP = '调休';

const EVENT_KEYS: Record<WebhookEvent, 'created' | 'transitioned' | 'overdue'> = {
  'case.created': 'created',
  'case.transitioned': 'transitioned',
  'case.overdue': 'overdue',
};

/** Labels of the case settings: contracts' tables in the UI language, and the few the UI words itself. */
export function useConfigLabels() {
  const { t } = useTranslation();
  const locale = useLocale();
  return useMemo(() => {
    const holidayKey = (name: string): HolidayKey | undefined => HOLIDAYS[name as keyof typeof HOLIDAYS];
    return {
      locale,
      priority: (p: Priority) => priorityLabels[p][locale],
      unitKind: (k: UnitKind) => unitKindLabels[k][locale],
      level: (level: number) => t(level <= 1 ? 'caseConfig.categories.level1' : level === 2 ? 'caseConfig.categories.level2' : 'caseConfig.categories.level3'),
      limit: (count: number, unit: 'hours' | 'days') => t(unit === 'hours' ? 'caseConfig.categories.hours' : 'caseConfig.categories.days', { count }),
      webhookEvent: (e: WebhookEvent) => t(`caseConfig.webhooks.eventNames.${EVENT_KEYS[e]}`),
      /**
       * A calendar day's name. The built-in schedule names days in Chinese (春节, 春节调休); those are
       * worded in the UI language. Names an admin typed are shown as typed.
       */
      dayName: (day: CalendarDay): string => {
        if (!day.name || day.source !== 'package' || locale === 'zh-CN') return day.name ?? '';
        const makeUp = day.name.endsWith(MAKE_UP);
        const key = holidayKey(makeUp ? day.name.slice(0, -MAKE_UP.length) : day.name);
        if (!key) return day.name;
        const holiday = t(`caseConfig.calendar.holidays.${key}`);
        return makeUp ? t('caseConfig.calendar.makeUp', { holiday }) : holiday;
      },
      /** 周六 / Sat for a `YYYY-MM-DD` date. */
      weekday: (date: string) =>
        new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`)),
    };
  }, [t, locale]);
}
