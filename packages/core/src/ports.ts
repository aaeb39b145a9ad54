import type { AreaDetail, AreaSummary, AuditEntry, GrantView, Locale, Role, UserView } from '@wangge/contracts';
import type { AreaScope } from './auth/auth.types.ts';
import type { ChainedRow } from './audit/audit.chain.ts';
import type { GridsPort } from './grids/grids.ports.ts';
import type { NotifyPort } from './notify/notify.ports.ts';
import type { AttachmentsPort } from './attachments/attachments.ports.ts';
import type { CasesPort } from './cases/cases.ports.ts';
import type { RegistryPort } from './registry/registry.ports.ts';
import type { RegistryImportsPort } from './registry/registry.import.ts';

/**
 * The narrow ports use-cases need; @wangge/db implements them on PGlite and PostgreSQL.
 * Every list takes an AreaScope that the implementation turns into a path condition in SQL.
 */

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  locale: Locale;
  passwordHash: string;
  disabled: boolean;
  failedCount: number;
  lockedUntil: Date | null;
  mustChangePassword: boolean;
  passwordChangedAt: Date | null;
  lastLoginAt: Date | null;
  homeAreaId: string;
  homeAreaPath: string;
}

export interface GrantRecord extends GrantView {
  areaPath: string;
}

export interface NewUser {
  username: string;
  displayName: string;
  locale: Locale;
  passwordHash: string;
  mustChangePassword: boolean;
  passwordChangedAt: Date | null;
  homeAreaId: string;
  createdAt: Date;
}

export interface UserFilter {
  q?: string | undefined;
  areaPath?: string | undefined;
  role?: Role | undefined;
  page: number;
  pageSize: number;
}

export interface UsersPort {
  findByUsername(username: string): Promise<UserRecord | null>;
  findById(id: string): Promise<UserRecord | null>;
  insert(user: NewUser): Promise<UserRecord>;
  update(id: string, patch: Partial<Omit<UserRecord, 'id' | 'username' | 'homeAreaPath'>>): Promise<void>;
  grants(userId: string): Promise<GrantRecord[]>;
  addGrant(userId: string, role: Role, areaId: string, at: Date): Promise<GrantRecord>;
  removeGrant(userId: string, grantId: string): Promise<boolean>;
  view(id: string): Promise<UserView | null>;
  list(scope: AreaScope, filter: UserFilter): Promise<{ items: UserView[]; total: number }>;
}

export interface SessionRecord {
  id: string;
  userId: string;
  kind: 'cookie' | 'bearer';
  createdAt: Date;
  lastSeenAt: Date;
  revokedAt: Date | null;
}

export interface SessionsPort {
  insert(s: SessionRecord & { tokenHash: string; ip: string | null; userAgent: string | null }): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<SessionRecord | null>;
  /** The session with its user (null when gone) and the user's grants, in one read. */
  findWithUser(tokenHash: string): Promise<{ session: SessionRecord; user: UserRecord | null; grants: GrantRecord[] } | null>;
  touch(id: string, at: Date): Promise<void>;
  revoke(id: string, at: Date): Promise<void>;
  revokeAllForUser(userId: string, at: Date, exceptId?: string): Promise<void>;
}

export interface AreaRecord {
  id: string;
  parentId: string | null;
  path: string;
  code: string;
  nameZh: string;
  nameEn: string | null;
  level: AreaSummary['level'];
  gridType: AreaSummary['gridType'];
}

export interface AreasPort {
  findById(id: string): Promise<AreaRecord | null>;
  detail(id: string): Promise<AreaDetail | null>;
  /** Children of an area, with counts computed inside `scope` (null = the area's whole subtree). */
  children(parentId: string): Promise<AreaSummary[]>;
  /** The top-most areas of the scope: the actor's grant roots. */
  roots(scope: AreaScope): Promise<AreaSummary[]>;
  search(scope: AreaScope, q: string, limit: number): Promise<AreaSummary[]>;
  update(id: string, patch: { nameZh?: string | undefined; nameEn?: string | null | undefined }): Promise<void>;
}

export interface AuditInput {
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  areaId: string | null;
  diff: unknown;
  ip: string | null;
  requestId: string | null;
}

export interface AuditFilter {
  action?: string | undefined;
  actorId?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  page: number;
  pageSize: number;
}

export interface AuditPort {
  /** Appends one row, unsealed; runs inside the transaction of the change it records (ADR 0005). */
  append(entry: AuditInput): Promise<void>;
  /** Links up to `limit` committed unsealed rows onto the chain, in id order, in its own transaction; returns how many. */
  seal(limit: number): Promise<number>;
  /** Rows not yet sealed. */
  unsealed(): Promise<number>;
  list(scope: AreaScope, filter: AuditFilter): Promise<{ items: AuditEntry[]; total: number }>;
  /** Sealed rows in chain order after position `afterSeq`, for verification in pages. */
  page(afterSeq: string | null, limit: number): Promise<ChainedRow[]>;
  pruneBefore(cutoff: Date): Promise<number>;
}

export interface Ports {
  users: UsersPort;
  sessions: SessionsPort;
  areas: AreasPort;
  audit: AuditPort;
  grids: GridsPort;
  cases: CasesPort;
  notify: NotifyPort;
  attachments: AttachmentsPort;
  registry: RegistryPort;
  registryImports: RegistryImportsPort;
}

/** A unit of work: everything inside `transaction` commits or rolls back together. */
export interface Store extends Ports {
  transaction<T>(fn: (tx: Ports) => Promise<T>): Promise<T>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}
