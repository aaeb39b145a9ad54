import { hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '@wangge/core';

/** argon2id with the library's defaults (19 MiB, 2 passes): OWASP's recommended minimum. */
export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password),
  verify: async (stored, password) => {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  },
};

/** A cheap argon2id for tests only (1 MiB, 1 pass), so suites do not spend their time hashing. */
export const fastTestHasher: PasswordHasher = {
  hash: (password) => hash(password, { memoryCost: 1024, timeCost: 1, parallelism: 1 }),
  verify: argon2Hasher.verify,
};
