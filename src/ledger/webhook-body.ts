/** The JSON body of an outbound webhook as the ledger stores it (deliveries.variables) and the webhook channel posts it. */
export type WebhookBody = { id: string; type: string; createdAt: string; data: Record<string, unknown> };
