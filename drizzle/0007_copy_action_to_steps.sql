-- Batches stored before steps existed ran one action: it becomes their only step.
UPDATE "batches" SET "steps" = jsonb_build_array("action") WHERE "action" IS NOT NULL AND "steps" = '[]'::jsonb;
