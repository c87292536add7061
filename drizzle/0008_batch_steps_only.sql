ALTER TABLE "batches" ALTER COLUMN "steps" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "batches" DROP COLUMN "action";