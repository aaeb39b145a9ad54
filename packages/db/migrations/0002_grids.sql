CREATE TABLE "area_versions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "area_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"area_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"parent_id" bigint,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"grid_type" text,
	"geometry" jsonb,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone NOT NULL,
	"adjustment_id" uuid,
	"district_id" bigint
);
--> statement-breakpoint
CREATE TABLE "buildings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"district_id" bigint,
	"grid_id" bigint,
	"grid_pinned" boolean DEFAULT false NOT NULL,
	"pin_reason" text,
	"code" text,
	"name" text NOT NULL,
	"address" text,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"footprint" jsonb,
	"floors" integer,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cover_exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"parent_id" bigint NOT NULL,
	"geometry" jsonb NOT NULL,
	"reason" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_adjustments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "grid_adjustments_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"parent_id" bigint NOT NULL,
	"district_id" bigint,
	"reason" text,
	"summary" jsonb NOT NULL,
	"undo" jsonb NOT NULL,
	"actor_id" uuid,
	"actor_name" text,
	"created_at" timestamp with time zone NOT NULL,
	"reverted_at" timestamp with time zone,
	"reverted_by" text,
	CONSTRAINT "grid_adjustments_kind_ck" CHECK ("grid_adjustments"."kind" IN ('create','redraw','split','merge','import','renumber','retire'))
);
--> statement-breakpoint
CREATE TABLE "grid_epoch" (
	"id" integer PRIMARY KEY NOT NULL,
	"epoch" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_staff" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"grid_id" bigint NOT NULL,
	"district_id" bigint,
	"duty" text NOT NULL,
	"name" text NOT NULL,
	"phone_enc" text,
	"phone_masked" text,
	"user_id" uuid,
	"service_items" text DEFAULT '' NOT NULL,
	"is_public" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "grid_staff_duty_ck" CHECK ("grid_staff"."duty" IN ('grid_leader','grid_worker','info_officer','building_head','party_leader'))
);
--> statement-breakpoint
DROP INDEX "areas_code_uq";--> statement-breakpoint
ALTER TABLE "areas" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "areas" ADD COLUMN "valid_from" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "areas" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "area_versions" ADD CONSTRAINT "area_versions_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buildings" ADD CONSTRAINT "buildings_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cover_exceptions" ADD CONSTRAINT "cover_exceptions_parent_id_areas_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_adjustments" ADD CONSTRAINT "grid_adjustments_parent_id_areas_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_staff" ADD CONSTRAINT "grid_staff_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "area_versions_area_idx" ON "area_versions" USING btree ("area_id","version");--> statement-breakpoint
CREATE INDEX "area_versions_adjustment_idx" ON "area_versions" USING btree ("adjustment_id");--> statement-breakpoint
CREATE INDEX "buildings_grid_idx" ON "buildings" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "buildings_district_idx" ON "buildings" USING btree ("district_id");--> statement-breakpoint
CREATE INDEX "grid_adjustments_parent_idx" ON "grid_adjustments" USING btree ("parent_id","seq");--> statement-breakpoint
CREATE INDEX "grid_staff_grid_idx" ON "grid_staff" USING btree ("grid_id");--> statement-breakpoint
CREATE UNIQUE INDEX "areas_code_uq" ON "areas" USING btree ("code") WHERE "areas"."retired_at" IS NULL;--> statement-breakpoint
INSERT INTO "grid_epoch" ("id", "epoch") VALUES (1, 0);