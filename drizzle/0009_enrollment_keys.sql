CREATE TABLE "device_machines" (
	"owner" text NOT NULL,
	"machine_id" text NOT NULL,
	"device_id" uuid NOT NULL,
	CONSTRAINT "device_machines_owner_machine_id_pk" PRIMARY KEY("owner","machine_id")
);
--> statement-breakpoint
CREATE TABLE "enrollment_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"owner" text NOT NULL,
	"key_hash" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"group_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"expires_at" timestamp with time zone,
	"max_uses" integer,
	"uses" integer DEFAULT 0 NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "device_machines" ADD CONSTRAINT "device_machines_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "device_machines_device_key" ON "device_machines" USING btree ("device_id");--> statement-breakpoint
CREATE UNIQUE INDEX "enrollment_keys_hash_key" ON "enrollment_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "enrollment_keys_created_idx" ON "enrollment_keys" USING btree ("created_at","id");