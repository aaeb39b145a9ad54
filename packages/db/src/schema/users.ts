import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { areas } from './areas.ts';

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    locale: text('locale').notNull().default('zh-CN'),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    passwordChangedAt: tz('password_changed_at'),
    failedCount: integer('failed_count').notNull().default(0),
    lockedUntil: tz('locked_until'),
    disabled: boolean('disabled').notNull().default(false),
    lastLoginAt: tz('last_login_at'),
    homeAreaId: bigint('home_area_id', { mode: 'number' }).notNull().references(() => areas.id),
    districtId: bigint('district_id', { mode: 'number' }),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_username_uq').on(sql`lower(${t.username})`),
    index('users_home_area_idx').on(t.homeAreaId),
    check('users_locale_ck', sql`${t.locale} IN ('zh-CN','en')`),
  ],
);

/** A role held on an area; the grant covers the area and everything below it. */
export const userGrants = pgTable(
  'user_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    areaId: bigint('area_id', { mode: 'number' }).notNull().references(() => areas.id),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('user_grants_uq').on(t.userId, t.role, t.areaId),
    index('user_grants_area_idx').on(t.areaId),
    check(
      'user_grants_role_ck',
      sql`${t.role} IN ('system_admin','leader','command_center','street_center','community_staff','grid_leader','grid_worker','dept_handler')`,
    ),
  ],
);

/** Server-side sessions: only a SHA-256 of the token is stored, so a database leak yields no usable token. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    createdAt: tz('created_at').notNull(),
    lastSeenAt: tz('last_seen_at').notNull(),
    revokedAt: tz('revoked_at'),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [
    uniqueIndex('sessions_token_uq').on(t.tokenHash),
    index('sessions_user_idx').on(t.userId),
    check('sessions_kind_ck', sql`${t.kind} IN ('cookie','bearer')`),
  ],
);
