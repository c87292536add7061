CREATE TABLE "schedule_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"schedule_id" uuid NOT NULL,
	"workflow_id" text NOT NULL,
	"batch_id" uuid,
	"outcome" text NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"owner" text NOT NULL,
	"spec" jsonb NOT NULL,
	"timezone" text NOT NULL,
	"overlap" text NOT NULL,
	"batch" jsonb NOT NULL,
	"batch_sealed" text,
	"catchup_window_sec" integer NOT NULL,
	"start_at" timestamp with time zone,
	"end_at" timestamp with time zone,
	"paused" boolean DEFAULT false NOT NULL,
	"note" text,
	"temporal_schedule_id" text NOT NULL,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "schedule_id" uuid;--> statement-breakpoint
ALTER TABLE "schedule_runs" ADD CONSTRAINT "schedule_runs_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_runs" ADD CONSTRAINT "schedule_runs_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "schedule_runs_workflow_key" ON "schedule_runs" USING btree ("workflow_id");--> statement-breakpoint
CREATE INDEX "schedule_runs_schedule_idx" ON "schedule_runs" USING btree ("schedule_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "schedules_owner_name_key" ON "schedules" USING btree ("owner","name");--> statement-breakpoint
CREATE UNIQUE INDEX "schedules_temporal_id_key" ON "schedules" USING btree ("temporal_schedule_id");--> statement-breakpoint
CREATE INDEX "schedules_created_idx" ON "schedules" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "batches_schedule_idx" ON "batches" USING btree ("schedule_id");