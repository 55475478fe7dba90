/**
 * Exact money: ISO 4217 codes with their minor-unit exponents, decimal text ⇄ integer minor units.
 * Amounts are never floats: "19.99" EUR is 1999 cents, summed as integers (bigint past 2^53) and
 * formatted back as decimal text. Amounts of different currencies are never added together.
 */

/** ISO 4217 (list one, current funds) codes whose minor unit is not 2. */
const EXPONENTS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** ISO 4217 list one: the active currency codes (precious metals, testing and "no currency" codes left out). */
const CODES = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
    'CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL ' +
    'GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD ' +
    'KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO ' +
    'NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD ' +
    'SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV ' +
    'WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG'
  ).split(' '),
);

export const isCurrency = (code: string): boolean => CODES.has(code);

/** Digits after the decimal point in the currency's minor unit (ISO 4217 "minor unit" column). */
function currencyExponent(code: string): number {
  return EXPONENTS[code] ?? 2;
}

/**
 * A price as exact minor units: decimal text ("19.99", "1500", "0.5") or a JSON number whose shortest
 * text is such a decimal (19.99 → "19.99"). More fractional digits than the currency has are refused
 * unless they are zeros ("19.990" is fine in EUR, "19.995" is not); so are negatives, exponents and junk.
 * @returns the amount in minor units, or a message saying what is wrong.
 */
export function toMinorUnits(
  value: unknown,
  currency: string,
): { ok: true; minor: number } | { ok: false; message: string } {
  const text =
    typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : typeof value === 'string'
        ? value.trim()
        : undefined;
  if (text === undefined) return { ok: false, message: 'must be a decimal number (e.g. "19.99")' };
  const m = /^(\d{1,15})(?:\.(\d{1,12}))?$/.exec(text);
  if (!m)
    return {
      ok: false,
      message: text.startsWith('-') ? 'must not be negative' : 'must be a decimal number (e.g. "19.99")',
    };
  const exp = currencyExponent(currency);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > exp) return { ok: false, message: `has more decimals than ${currency} has (${exp})` };
  const minor = Number(m[1]) * 10 ** exp + Number(frac.padEnd(exp, '0') || '0');
  if (!Number.isSafeInteger(minor)) return { ok: false, message: 'is too large' };
  return { ok: true, minor };
}

/** Minor units (an integer or its decimal text, as a bigint sum comes back) → decimal text: 1999, EUR → "19.99". */
export function formatMinor(minor: number | bigint | string, currency: string): string {
  const exp = currencyExponent(currency);
  const n = BigInt(minor);
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(exp + 1, '0');
  const whole = digits.slice(0, digits.length - exp);
  const frac = exp > 0 ? `.${digits.slice(digits.length - exp)}` : '';
  return `${negative ? '-' : ''}${whole}${frac}`;
}
