-- Order-page links (which can cancel an order) are signed when a message is composed and never stored
-- (issue 21). Rows an older build queued or sent still carry them in variables: drop them. The sender
-- signs the link again from ref_id for any row still to be sent.
UPDATE "deliveries" SET "variables" = "variables" - 'orderUrl' - 'keepUrl' - 'cancelUrl'
WHERE "kind" IN ('backorder-confirmed', 'delivery-date-revised', 'order-shipping-soon')
  AND ("variables" ? 'orderUrl' OR "variables" ? 'keepUrl' OR "variables" ? 'cancelUrl');
