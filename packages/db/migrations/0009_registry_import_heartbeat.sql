-- A running import shows it is alive with every batch it writes (heartbeat_at, the database's clock).
-- One whose server stopped or crashed stays 'running' with an old heartbeat: it is then undone and
-- marked failed (registry.import.ts `recoverInterrupted`), in whichever server notices first.
ALTER TABLE registry_imports ADD COLUMN heartbeat_at timestamp with time zone;
--> statement-breakpoint
UPDATE registry_imports SET heartbeat_at = coalesce(finished_at, created_at);
--> statement-breakpoint
CREATE INDEX registry_imports_running_idx ON registry_imports (heartbeat_at) WHERE status = 'running';
