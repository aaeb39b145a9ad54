CREATE TABLE "building_units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"district_id" bigint,
	"grid_id" bigint NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"import_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"building_id" uuid,
	"name" text,
	"floors" integer
);
--> statement-breakpoint
CREATE TABLE "compounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"district_id" bigint,
	"grid_id" bigint NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"import_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"name" text,
	"address" text,
	"property_company" text,
	"property_phone" text,
	"lon" double precision,
	"lat" double precision
);
--> statement-breakpoint
CREATE TABLE "dict_items" (
	"dict" text NOT NULL,
	"code" text NOT NULL,
	"label_zh" text NOT NULL,
	"label_en" text NOT NULL,
	"parent" text,
	"sort" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"source" text NOT NULL,
	"edited" boolean DEFAULT false NOT NULL,
	CONSTRAINT "dict_items_dict_code_pk" PRIMARY KEY("dict","code")
);
--> statement-breakpoint
CREATE TABLE "facilities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"district_id" bigint,
	"grid_id" bigint NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"import_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"code" text,
	"name" text,
	"facility_class" text,
	"owner_unit" text,
	"maintainer" text,
	"condition" text,
	"address" text,
	"lon" double precision,
	"lat" double precision
);
--> statement-breakpoint
CREATE TABLE "grid_stats" (
	"grid_id" bigint NOT NULL,
	"metric" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "grid_stats_grid_id_metric_pk" PRIMARY KEY("grid_id","metric")
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"district_id" bigint,
	"grid_id" bigint NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"import_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"household_no" text,
	"house_id" uuid,
	"kind" text,
	"address" text
);
--> statement-breakpoint
CREATE TABLE "houses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"district_id" bigint,
	"grid_id" bigint NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"import_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"building_id" uuid,
	"unit_id" uuid,
	"floor" integer,
	"room_no" text,
	"address" text,
	"use" text,
	"area_m2" double precision,
	"owner_name" text,
	"owner_id_no_enc" text,
	"owner_id_no_bidx" text,
	"owner_id_no_masked" text,
	"owner_phone_enc" text,
	"owner_phone_bidx" text,
	"owner_phone_masked" text,
	"rented" boolean,
	"rental_use" text,
	"hazard" text
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"district_id" bigint,
	"grid_id" bigint NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"import_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"name" text,
	"kind" text,
	"uscc" text,
	"enterprise_type" text,
	"social_org_type" text,
	"legal_rep" text,
	"phone_enc" text,
	"phone_bidx" text,
	"phone_masked" text,
	"address" text,
	"building_id" uuid,
	"employees" integer,
	"hazard" text,
	"lon" double precision,
	"lat" double precision
);
--> statement-breakpoint
CREATE TABLE "person_tags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"tag" text NOT NULL,
	"grid_id" bigint NOT NULL,
	"counted" boolean DEFAULT true NOT NULL,
	"district_id" bigint,
	"values" jsonb NOT NULL,
	"attention" text,
	"next_visit_on" date,
	"last_visit_on" date,
	"note" text,
	"started_on" date NOT NULL,
	"ended_at" timestamp with time zone,
	"import_id" uuid
);
--> statement-breakpoint
CREATE TABLE "persons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"district_id" bigint,
	"grid_id" bigint NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"import_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"name" text,
	"id_type" text,
	"id_no_enc" text,
	"id_no_bidx" text,
	"id_no_masked" text,
	"sex" text,
	"birth_date" date,
	"ethnicity" text,
	"political" text,
	"education" text,
	"marital" text,
	"occupation" text,
	"work_place" text,
	"phone_enc" text,
	"phone_bidx" text,
	"phone_masked" text,
	"pop_type" text,
	"household_id" uuid,
	"relation" text,
	"house_id" uuid,
	"hukou_address" text,
	"current_address" text,
	"consistency" text,
	"residence_type" text,
	"inflow_reason" text,
	"permit_type" text,
	"nationality" text,
	"visit_purpose" text,
	"status" text,
	"name_grams" text[] NOT NULL,
	"name_py" text NOT NULL,
	"address_grams" text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "registry_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ledger" text NOT NULL,
	"record_id" uuid NOT NULL,
	"district_id" bigint,
	"action" text NOT NULL,
	"changes" jsonb NOT NULL,
	"before" jsonb,
	"import_id" uuid,
	"actor_id" uuid,
	"actor_name" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ledger" text NOT NULL,
	"file_name" text NOT NULL,
	"area_id" bigint NOT NULL,
	"district_id" bigint,
	"status" text NOT NULL,
	"rows_total" integer DEFAULT 0 NOT NULL,
	"rows_done" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"errors" jsonb NOT NULL,
	"changes" jsonb NOT NULL,
	"message" text,
	"actor_id" uuid,
	"actor_name" text,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tag_defs" (
	"code" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"visit_interval_days" integer,
	"fields" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort" integer DEFAULT 100 NOT NULL,
	"edited" boolean DEFAULT false NOT NULL,
	CONSTRAINT "tag_defs_kind_ck" CHECK ("tag_defs"."kind" IN ('care','special'))
);
--> statement-breakpoint
ALTER TABLE "buildings" ADD COLUMN "compound_id" uuid;--> statement-breakpoint
ALTER TABLE "buildings" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "buildings" ADD COLUMN "import_id" uuid;--> statement-breakpoint
ALTER TABLE "building_units" ADD CONSTRAINT "building_units_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compounds" ADD CONSTRAINT "compounds_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "houses" ADD CONSTRAINT "houses_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_tags" ADD CONSTRAINT "person_tags_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_tags" ADD CONSTRAINT "person_tags_tag_tag_defs_code_fk" FOREIGN KEY ("tag") REFERENCES "public"."tag_defs"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_imports" ADD CONSTRAINT "registry_imports_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "building_units_grid_idx" ON "building_units" USING btree ("grid_id");--> statement-breakpoint
CREATE UNIQUE INDEX "building_units_name_uq" ON "building_units" USING btree (building_id,name);--> statement-breakpoint
CREATE INDEX "compounds_grid_idx" ON "compounds" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "facilities_grid_idx" ON "facilities" USING btree ("grid_id");--> statement-breakpoint
CREATE UNIQUE INDEX "facilities_code_uq" ON "facilities" USING btree (code);--> statement-breakpoint
CREATE INDEX "households_grid_idx" ON "households" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "households_house_idx" ON "households" USING btree (house_id);--> statement-breakpoint
CREATE UNIQUE INDEX "households_no_uq" ON "households" USING btree ("district_id",household_no);--> statement-breakpoint
CREATE INDEX "houses_grid_idx" ON "houses" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "houses_building_idx" ON "houses" USING btree (building_id);--> statement-breakpoint
CREATE INDEX "organisations_grid_idx" ON "organisations" USING btree ("grid_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_uscc_uq" ON "organisations" USING btree ("district_id",uscc) WHERE uscc IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "person_tags_open_uq" ON "person_tags" USING btree ("person_id","tag") WHERE ended_at IS NULL;--> statement-breakpoint
CREATE INDEX "person_tags_due_idx" ON "person_tags" USING btree ("next_visit_on") WHERE ended_at IS NULL;--> statement-breakpoint
CREATE INDEX "persons_grid_idx" ON "persons" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "persons_household_idx" ON "persons" USING btree (household_id);--> statement-breakpoint
CREATE INDEX "persons_house_idx" ON "persons" USING btree (house_id);--> statement-breakpoint
CREATE INDEX "persons_grams_idx" ON "persons" USING gin ("name_grams");--> statement-breakpoint
CREATE INDEX "persons_address_grams_idx" ON "persons" USING gin ("address_grams");--> statement-breakpoint
CREATE INDEX "persons_py_idx" ON "persons" USING btree (name_py text_pattern_ops);--> statement-breakpoint
CREATE INDEX "persons_id_bidx_idx" ON "persons" USING btree (id_no_bidx);--> statement-breakpoint
CREATE INDEX "persons_phone_bidx_idx" ON "persons" USING btree (phone_bidx);--> statement-breakpoint
CREATE UNIQUE INDEX "persons_one_head_uq" ON "persons" USING btree (household_id) WHERE relation = '02' AND household_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "persons_id_uq" ON "persons" USING btree ("district_id",id_no_bidx) WHERE id_no_bidx IS NOT NULL;--> statement-breakpoint
CREATE INDEX "registry_changes_record_idx" ON "registry_changes" USING btree ("record_id","id");--> statement-breakpoint
CREATE INDEX "registry_changes_import_idx" ON "registry_changes" USING btree ("import_id");