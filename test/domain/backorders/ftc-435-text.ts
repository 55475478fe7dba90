/**
 * The words the ftc-435 suite quotes, each with where it was read. Only text actually found is quoted:
 * - GUIDE: the FTC's "Business Guide to the FTC's Mail, Internet, or Telephone Order Merchandise Rule"
 *   (ftc.gov/tips-advice/business-center/guidance/business-guide-ftcs-mail-internet-or-telephone-order,
 *   as republished from the FTC site at cliclaw.com/node/6273, /node/548, /node/633 and, for "When You
 *   Must Cancel an Order", the business.ftc.gov bus02 edition).
 * - CFR_2005: 16 CFR 435.2 as revised 1 January 2005 (edocket.access.gpo.gov/cfr_2005/janqtr/16cfr435.2.htm),
 *   the definitions section before the 2011 final rule (76 FR 60715, "reorganizing the Rule by alphabetizing
 *   the definitions at the beginning of the Rule") renumbered it 435.1.
 * - USLEGAL: consumerprotection.uslegal.com, "Mail or Telephone Order Rule" (a secondary summary; the
 *   50-day credit rule's own wording in 435.2(a)(1) was not found in the stored text).
 */
export const TEXT = {
  /** Rule 435.2(a)(1) and (b)(1): when the option must come. */
  timing:
    'In any event, no notification to the customer can take longer than the time you originally promised or, if no time ' +
    'was promised, 30 days. If you cannot ship the order or provide the notice within this time, you must cancel the ' +
    'order and make a prompt refund.',
  thirtyDay:
    'If you make no shipment statement, you must have a reasonable basis for believing that you can ship within 30 days.',
  credit:
    'If a company does not promise a shipping time and the consumer is applying for credit, the company has 50 days to ' +
    'ship after receiving the order.',
  /** 435.2(b)(1)(ii)/(iii) and (b)(2): silence and consent. */
  silence:
    "For definite delays of up to 30 days, you may treat the customer's silence as agreement to the delay. For longer or " +
    "indefinite delays, and second and subsequent delays, you must get the customer's consent.",
  firstNotice:
    'a definite revised shipment date or, if unknown, a statement that you are unable to provide a revised shipment date;',
  reason: 'the reason for the delay',
  longDelay:
    'the customer does not respond to your notice of a definite revised shipment date of more than 30 days (or your notice ' +
    'that you are unable to provide a definite revised shipment date) and you have not shipped the merchandise within 30 ' +
    'days of the original shipment date;',
  renewed:
    'If you cannot ship the merchandise by the definite revised shipment date included in your most recent delay option ' +
    'notice, before that date you must seek the consent of your customers to any further delay.',
  renewedSilence: 'One important difference: the customer’s silence may not be treated as a consent to delay.',
  renewedDeadline:
    'a statement that, unless you receive notice that the customer agrees to wait beyond the most recent definite revised ' +
    'shipment date and you have not shipped by then, the customer’s order automatically will be cancelled and a prompt ' +
    'refund will be provided;',
  indefinite:
    'If you have provided an appropriate and timely delay option notice and the customer agrees to an indefinite revised ' +
    'shipment date, no additional delay notices are required.',
  /** 435.2(c) as the guide lists it ("When You Must Cancel an Order"). */
  cancelOption: 'the customer exercises any option to cancel before you ship the merchandise;',
  cancelLate: 'you have not shipped or provided the required delay or renewed option notices on time;',
  /** 435.1 definitions (numbered 435.2(c) in the 2005 text). */
  shipment:
    'Shipment shall mean the act by which the merchandise is physically placed in the possession of the carrier.',
  refund:
    'If the customer paid by cash, check, or money order, you must refund the correct amount by first class mail within ' +
    'seven working days after the order is cancelled.',
} as const;
