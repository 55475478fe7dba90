CREATE TYPE "public"."template_status" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TYPE "public"."delivery_status" AS ENUM('queued', 'sending', 'sent', 'retry', 'failed', 'skipped');--> statement-breakpoint
CREATE TABLE "templates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"locale" text DEFAULT 'default' NOT NULL,
	"version" integer NOT NULL,
	"subject" text NOT NULL,
	"mjml" text NOT NULL,
	"variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" "template_status" DEFAULT 'draft' NOT NULL,
	"source" text DEFAULT 'console' NOT NULL,
	"source_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"recipient" text NOT NULL,
	"recipient_normalized" text NOT NULL,
	"template_key" text NOT NULL,
	"locale" text,
	"variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"subscription_id" bigint,
	"event_id" bigint,
	"bulk" boolean DEFAULT true NOT NULL,
	"priority" smallint DEFAULT 1 NOT NULL,
	"status" "delivery_status" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"unknown_outcomes" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"claimed_until" timestamp with time zone,
	"claimed_by" text,
	"last_error" text,
	"smtp_response" text,
	"message_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "restock_waves" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"restock_event_id" bigint NOT NULL,
	"wave_no" integer NOT NULL,
	"quantity" integer NOT NULL,
	"max_recipients" integer,
	"queued" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "eta_fanouts" (
	"eta_event_id" bigint PRIMARY KEY NOT NULL,
	"queued" integer DEFAULT 0 NOT NULL,
	"superseded" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restock_waves" ADD CONSTRAINT "restock_waves_restock_event_id_restock_events_id_fk" FOREIGN KEY ("restock_event_id") REFERENCES "public"."restock_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eta_fanouts" ADD CONSTRAINT "eta_fanouts_eta_event_id_eta_events_id_fk" FOREIGN KEY ("eta_event_id") REFERENCES "public"."eta_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "templates_key_locale_version_uq" ON "templates" USING btree ("key","locale","version");--> statement-breakpoint
CREATE INDEX "templates_key_locale_status_idx" ON "templates" USING btree ("key","locale","status","version");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_dedupe_key_uq" ON "deliveries" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "deliveries_due_idx" ON "deliveries" USING btree ("priority","next_attempt_at") WHERE "deliveries"."status" in ('queued', 'retry', 'sending');--> statement-breakpoint
CREATE INDEX "deliveries_subscription_idx" ON "deliveries" USING btree ("subscription_id");--> statement-breakpoint
CREATE INDEX "deliveries_event_idx" ON "deliveries" USING btree ("template_key","event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "restock_waves_event_wave_uq" ON "restock_waves" USING btree ("restock_event_id","wave_no");