ALTER TABLE "backorders" ADD COLUMN "credit_applied" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "backorders" ADD COLUMN "ship_by" date;--> statement-breakpoint
ALTER TABLE "backorders" ADD COLUMN "refund_due_by" date;--> statement-breakpoint
ALTER TABLE "backorders" ADD COLUMN "refunded_at" timestamp with time zone;