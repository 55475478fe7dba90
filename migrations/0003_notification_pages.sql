ALTER TABLE "restock_waves" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "eta_fanouts" ADD COLUMN "last_subscription_id" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "eta_fanouts" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "restock_waves_incomplete_idx" ON "restock_waves" USING btree ("id") WHERE "restock_waves"."completed_at" is null;