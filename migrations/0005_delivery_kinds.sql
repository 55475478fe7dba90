-- deliveries.event_id meant a different table per template; it becomes kind + ref_id (src/ledger/kinds/).
ALTER TABLE "deliveries" ADD COLUMN "kind" text;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "ref_id" bigint;--> statement-breakpoint
UPDATE "deliveries" SET "kind" = CASE "template_key" WHEN 'confirm' THEN 'confirmation' ELSE "template_key" END, "ref_id" = "event_id";--> statement-breakpoint
-- The magic `_scrub` key becomes the kind's declared list; drop it (and, on final rows, what it named).
UPDATE "deliveries" SET "variables" = CASE WHEN "status" IN ('queued', 'retry', 'sending') THEN "variables" - '_scrub'
  ELSE ("variables" - '_scrub') - array(select jsonb_array_elements_text("variables"->'_scrub')) END
  WHERE "variables" ? '_scrub';--> statement-breakpoint
ALTER TABLE "deliveries" ALTER COLUMN "kind" SET NOT NULL;--> statement-breakpoint
DROP INDEX "deliveries_event_idx";--> statement-breakpoint
ALTER TABLE "deliveries" DROP COLUMN "event_id";--> statement-breakpoint
CREATE INDEX "deliveries_kind_ref_idx" ON "deliveries" USING btree ("kind","ref_id");--> statement-breakpoint
-- Confirmation links: every issued link is kept (by hash) until it expires; the old single column moves over.
CREATE TABLE "confirmation_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"subscription_id" bigint NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "confirmation_tokens" ADD CONSTRAINT "confirmation_tokens_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "confirmation_tokens_subscription_idx" ON "confirmation_tokens" USING btree ("subscription_id");--> statement-breakpoint
INSERT INTO "confirmation_tokens" ("token_hash", "subscription_id", "expires_at", "created_at")
  SELECT "confirm_token_hash", "id", coalesce("confirm_expires_at", now()), now() FROM "subscriptions" WHERE "confirm_token_hash" IS NOT NULL;--> statement-breakpoint
DROP INDEX "subscriptions_confirm_token_uq";--> statement-breakpoint
ALTER TABLE "subscriptions" DROP COLUMN "confirm_token_hash";
