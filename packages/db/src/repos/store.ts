import type { Ports, Store } from '@wangge/core';
import type { Database, Db } from '../connection/open.ts';
import type { FieldCrypto } from '../crypto/field-crypto.ts';
import { gridsRepo } from './grids.repo.ts';
import { areasRepo } from './areas.repo.ts';
import { auditRepo } from './audit.repo.ts';
import { sessionsRepo } from './sessions.repo.ts';
import { usersRepo } from './users.repo.ts';
import { casesRepo } from './cases.repo.ts';
import { notifyRepo } from './notify.repo.ts';
import { attachmentsRepo } from './attachments.repo.ts';
import { registryRepo } from './registry.repo.ts';
import { registryImportsRepo } from './registry-import.repo.ts';

/** Every port bound to one connection or transaction handle. */
export function portsOn(db: Db, crypto?: FieldCrypto): Ports {
  return { users: usersRepo(db), sessions: sessionsRepo(db), areas: areasRepo(db), audit: auditRepo(db), grids: gridsRepo(db, crypto),
    cases: casesRepo(db, crypto), notify: notifyRepo(db, crypto), attachments: attachmentsRepo(db), registry: registryRepo(db, crypto),
    registryImports: registryImportsRepo(db, crypto),
  };
}

/** The use-cases' Store on a database: reads go straight to the pool, `transaction` binds every port to one transaction. */
export function createStore(database: Database, crypto?: FieldCrypto): Store {
  const base = portsOn(database.db, crypto);
  return {
    ...base,
    transaction: (fn) => database.transaction((tx) => fn(portsOn(tx, crypto))),
  };
}
