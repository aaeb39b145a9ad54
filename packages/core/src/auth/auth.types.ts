import type { Locale, Role } from '@wangge/contracts';

/** A role held on an area; `areaPath` is the area's ancestor path (ltree text, ids joined by dots). */
export interface Grant {
  id: string;
  role: Role;
  areaId: string;
  areaPath: string;
}

/** Who is acting: built once per request from the session, passed to every use-case. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  locale: Locale;
  grants: Grant[];
  mustChangePassword: boolean;
  sessionId: string | null;
  ip: string | null;
  requestId: string | null;
}

/** An area scope a repository turns into SQL: rows whose path lies under one of these paths. */
export interface AreaScope {
  paths: string[];
}
