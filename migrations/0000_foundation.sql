CREATE TYPE "public"."subscription_status" AS ENUM('pending', 'active', 'notified', 'unsubscribed');--> statement-breakpoint
CREATE TABLE "products" (
	"sku" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"url" text,
	"image_url" text,
	"quantity" integer DEFAULT 0 NOT NULL,
	"backorderable" boolean DEFAULT false NOT NULL,
	"eta" date,
	"eta_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"email_normalized" text NOT NULL,
	"sku" text NOT NULL,
	"locale" text,
	"name" text,
	"status" "subscription_status" DEFAULT 'pending' NOT NULL,
	"source" text,
	"confirm_token_hash" text,
	"confirm_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	"notified_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "suppressions" (
	"email" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "products_updated_at_idx" ON "products" USING btree ("updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_email_sku_uq" ON "subscriptions" USING btree ("email_normalized","sku");--> statement-breakpoint
CREATE INDEX "subscriptions_sku_status_confirmed_idx" ON "subscriptions" USING btree ("sku","status","confirmed_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_confirm_token_uq" ON "subscriptions" USING btree ("confirm_token_hash") WHERE "subscriptions"."confirm_token_hash" is not null;--> statement-breakpoint
CREATE INDEX "subscriptions_pending_expiry_idx" ON "subscriptions" USING btree ("confirm_expires_at") WHERE "subscriptions"."status" = 'pending';