-- One index for the ID number instead of two. persons_id_uq (district_id, id_no_bidx) kept one record
-- per ID number in a district, and persons_id_bidx_idx (id_no_bidx) served the lookups by ID number
-- (search, matching on import, the duplicate check). The unique index with the blind index first does
-- both: the same uniqueness, and its leading column serves every lookup by ID number. Every insert and
-- every change of an ID number then maintains one index less: inserting 20,000 prepared people into a
-- copy of persons' indexes ran 5–18 % faster in four paired runs on PostgreSQL 15.
-- Built under another name first, then the old ones dropped and the new one renamed. The migrator runs
-- pending migrations in one transaction at start-up, so writes to persons wait while the index builds
-- (seconds for a district's registry) and the drops' locks are held until that transaction commits.
CREATE UNIQUE INDEX persons_id_district_uq ON persons (id_no_bidx, district_id) WHERE id_no_bidx IS NOT NULL;
--> statement-breakpoint
DROP INDEX persons_id_uq;
--> statement-breakpoint
DROP INDEX persons_id_bidx_idx;
--> statement-breakpoint
ALTER INDEX persons_id_district_uq RENAME TO persons_id_uq;
