CREATE TABLE "batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"action" jsonb NOT NULL,
	"strategy" jsonb NOT NULL,
	"targets" jsonb NOT NULL,
	"target_count" integer NOT NULL,
	"delivery_timeout_sec" integer NOT NULL,
	"deadline_sec" integer,
	"workflow_id" text NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"hostname" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"owner" text NOT NULL,
	"token_hash" text NOT NULL,
	"facts" jsonb,
	"online" boolean DEFAULT false NOT NULL,
	"gateway_id" text,
	"session_id" text,
	"last_seen_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "executions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"batch_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"device_name" text NOT NULL,
	"seq" integer NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"exit_code" integer,
	"stdout" text,
	"stderr" text,
	"truncated" boolean DEFAULT false NOT NULL,
	"error" text,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"dispatched_at" timestamp with time zone,
	"gateway_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_members" (
	"group_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	CONSTRAINT "group_members_group_id_device_id_pk" PRIMARY KEY("group_id","device_id")
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"owner" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "executions" ADD CONSTRAINT "executions_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "batches_idempotency_key" ON "batches" USING btree ("owner","idempotency_key");--> statement-breakpoint
CREATE INDEX "batches_created_idx" ON "batches" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "batches_status_idx" ON "batches" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "devices_name_key" ON "devices" USING btree ("name");--> statement-breakpoint
CREATE INDEX "devices_tags_idx" ON "devices" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "devices_created_idx" ON "devices" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "executions_batch_seq_key" ON "executions" USING btree ("batch_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "executions_batch_device_key" ON "executions" USING btree ("batch_id","device_id");--> statement-breakpoint
CREATE INDEX "executions_batch_status_idx" ON "executions" USING btree ("batch_id","status");--> statement-breakpoint
CREATE INDEX "executions_device_status_idx" ON "executions" USING btree ("device_id","status");--> statement-breakpoint
CREATE INDEX "group_members_device_idx" ON "group_members" USING btree ("device_id");--> statement-breakpoint
CREATE UNIQUE INDEX "groups_name_key" ON "groups" USING btree ("name");--> statement-breakpoint
CREATE INDEX "groups_created_idx" ON "groups" USING btree ("created_at","id");