CREATE TYPE "public"."inventory_source" AS ENUM('api', 'bulk', 'shopify', 'woocommerce', 'feed');--> statement-breakpoint
CREATE TABLE "inventory_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sku" text NOT NULL,
	"old_quantity" integer,
	"new_quantity" integer NOT NULL,
	"old_eta" date,
	"new_eta" date,
	"eta_reason" text,
	"reason" text,
	"source" "inventory_source" NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "restock_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"detected_at" timestamp with time zone NOT NULL,
	"inventory_event_id" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "eta_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sku" text NOT NULL,
	"old_eta" date,
	"new_eta" date NOT NULL,
	"reason" text,
	"detected_at" timestamp with time zone NOT NULL,
	"inventory_event_id" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_receipts" (
	"provider" text NOT NULL,
	"delivery_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "webhook_receipts_provider_delivery_id_pk" PRIMARY KEY("provider","delivery_id")
);
--> statement-breakpoint
CREATE TABLE "feed_state" (
	"url" text PRIMARY KEY NOT NULL,
	"etag" text,
	"last_modified" text,
	"checked_at" timestamp with time zone,
	"changed_at" timestamp with time zone,
	"last_status" integer,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "source_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "scan_after" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "scanned_event_id" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "stock_announced" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "restock_pending_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "restock_pending_event_id" bigint;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "announced_eta" date;--> statement-breakpoint
ALTER TABLE "inventory_events" ADD CONSTRAINT "inventory_events_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "restock_events" ADD CONSTRAINT "restock_events_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "restock_events" ADD CONSTRAINT "restock_events_inventory_event_id_inventory_events_id_fk" FOREIGN KEY ("inventory_event_id") REFERENCES "public"."inventory_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eta_events" ADD CONSTRAINT "eta_events_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "eta_events" ADD CONSTRAINT "eta_events_inventory_event_id_inventory_events_id_fk" FOREIGN KEY ("inventory_event_id") REFERENCES "public"."inventory_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inventory_events_sku_id_idx" ON "inventory_events" USING btree ("sku","id");--> statement-breakpoint
CREATE UNIQUE INDEX "restock_events_inventory_event_uq" ON "restock_events" USING btree ("inventory_event_id");--> statement-breakpoint
CREATE INDEX "restock_events_sku_detected_idx" ON "restock_events" USING btree ("sku","detected_at");--> statement-breakpoint
CREATE UNIQUE INDEX "eta_events_inventory_event_uq" ON "eta_events" USING btree ("inventory_event_id");--> statement-breakpoint
CREATE INDEX "eta_events_sku_detected_idx" ON "eta_events" USING btree ("sku","detected_at");--> statement-breakpoint
CREATE INDEX "products_scan_after_idx" ON "products" USING btree ("scan_after") WHERE "products"."scan_after" is not null;