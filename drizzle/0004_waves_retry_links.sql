ALTER TABLE "batches" ADD COLUMN "purpose" text DEFAULT 'run' NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "parent_batch_id" uuid;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "retry_of" uuid;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_parent_batch_id_batches_id_fk" FOREIGN KEY ("parent_batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_retry_of_batches_id_fk" FOREIGN KEY ("retry_of") REFERENCES "public"."batches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "batches_parent_idx" ON "batches" USING btree ("parent_batch_id");--> statement-breakpoint
CREATE INDEX "batches_retry_of_idx" ON "batches" USING btree ("retry_of");