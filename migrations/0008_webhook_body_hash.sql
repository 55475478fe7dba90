ALTER TABLE "webhook_receipts" ADD COLUMN "body_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_receipts_body_hash_uq" ON "webhook_receipts" USING btree ("provider","body_hash");