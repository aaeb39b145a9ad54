-- A case's building is a link, not a copy: the case keeps its own address and point. When the
-- building is deleted from the registry, the link goes (SET NULL) and the case stays as it was
-- reported. Links already left dangling by such deletes are cleared first.
UPDATE cases SET building_id = NULL WHERE building_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM buildings b WHERE b.id = cases.building_id);
--> statement-breakpoint
ALTER TABLE cases ADD CONSTRAINT cases_building_id_buildings_id_fk FOREIGN KEY (building_id) REFERENCES buildings(id) ON DELETE SET NULL;
