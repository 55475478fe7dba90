ALTER TABLE "restock_events" ADD COLUMN "next_wave_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "restock_events_next_wave_idx" ON "restock_events" USING btree ("next_wave_at") WHERE "restock_events"."next_wave_at" is not null;--> statement-breakpoint
-- Existing installs: the newest restock of each SKU is looked at again by the planner, which decides.
UPDATE "restock_events" e SET "next_wave_at" = e."detected_at" WHERE e."id" = (SELECT max(r."id") FROM "restock_events" r WHERE r."sku" = e."sku");
