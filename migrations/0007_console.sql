CREATE TYPE "public"."user_role" AS ENUM('admin', 'marketing');--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "user_role" NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"last_login_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"csrf_secret" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "branding" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"shop_name" text,
	"logo_url" text,
	"accent_color" text,
	"footer_text" text,
	"privacy_text" text,
	"shop_url" text,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text,
	CONSTRAINT "branding_single_row" CHECK ("branding"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "published_by" text;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "messages" jsonb;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "copied_from" integer;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uq" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");