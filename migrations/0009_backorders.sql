CREATE TYPE "public"."backorder_status" AS ENUM('open', 'allocated', 'fulfilled', 'cancelled', 'cancel_due');--> statement-breakpoint
CREATE TABLE "backorders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"order_label" text,
	"sku" text NOT NULL,
	"email" text NOT NULL,
	"email_normalized" text NOT NULL,
	"customer_name" text,
	"locale" text,
	"quantity" integer NOT NULL,
	"status" "backorder_status" DEFAULT 'open' NOT NULL,
	"ordered_at" timestamp with time zone NOT NULL,
	"promised_date" date NOT NULL,
	"expected_date" date,
	"expected_reason" text,
	"consent_deadline" date,
	"awaiting_answer" boolean DEFAULT false NOT NULL,
	"notice_revision" integer DEFAULT 0 NOT NULL,
	"noticed_date" date,
	"customer_answer" text,
	"consented_indefinite" boolean DEFAULT false NOT NULL,
	"unreachable" boolean DEFAULT false NOT NULL,
	"notify" boolean DEFAULT true NOT NULL,
	"late_notice_for" date,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "backorders_quantity_ck" CHECK ("backorders"."quantity" between 1 and 1000000),
	CONSTRAINT "backorders_promised_range_ck" CHECK ("backorders"."promised_date" between '2000-01-01' and '2200-12-31'),
	CONSTRAINT "backorders_expected_range_ck" CHECK ("backorders"."expected_date" is null or "backorders"."expected_date" between '2000-01-01' and '2200-12-31')
);
--> statement-breakpoint
CREATE TABLE "backorder_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"backorder_id" bigint NOT NULL,
	"type" text NOT NULL,
	"source" text NOT NULL,
	"old_status" text,
	"new_status" text,
	"old_date" date,
	"new_date" date,
	"reason" text,
	"notice" text,
	"answer" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "backorders" ADD CONSTRAINT "backorders_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "backorder_events" ADD CONSTRAINT "backorder_events_backorder_id_backorders_id_fk" FOREIGN KEY ("backorder_id") REFERENCES "public"."backorders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "backorders_order_sku_uq" ON "backorders" USING btree ("order_id","sku");--> statement-breakpoint
CREATE INDEX "backorders_sku_status_ordered_idx" ON "backorders" USING btree ("sku","status","ordered_at","id");--> statement-breakpoint
CREATE INDEX "backorders_recent_reachable_idx" ON "backorders" USING btree ("updated_at") WHERE not "backorders"."unreachable";--> statement-breakpoint
CREATE INDEX "backorders_deadline_idx" ON "backorders" USING btree ("consent_deadline") WHERE "backorders"."awaiting_answer";--> statement-breakpoint
CREATE INDEX "backorder_events_line_idx" ON "backorder_events" USING btree ("backorder_id","id");