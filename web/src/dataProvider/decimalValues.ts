// Money arrives from the server as exact decimal strings (the GraphQL Decimal scalar) and is shown without ever
// passing through a float: rounding for display, where wanted, is done on the digits.

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;

export interface DecimalFormat {
  /** Digits always shown after the point (default 2). */
  minimumFractionDigits?: number;
  /** Round half-up to this many digits; absent: every digit the value has. */
  maximumFractionDigits?: number;
}

/** '1234.5' → '$1,234.50'; '0.000000015' → '$0.000000015'; null → '—'. */
export function formatDecimalUsd(value: string | null | undefined, format: DecimalFormat = {}): string {
  if (value == null || value === '') return '—';
  const match = DECIMAL_TEXT.exec(value.trim());
  if (!match) return value;
  const [, sign, wholeDigits, fractionDigits = ''] = match;
  const minimum = format.minimumFractionDigits ?? 2;
  let whole = wholeDigits;
  let fraction = fractionDigits;
  const maximum = format.maximumFractionDigits;
  if (maximum !== undefined && fraction.length > maximum) {
    const kept = BigInt(whole + fraction.slice(0, maximum)) + (Number(fraction[maximum]) >= 5 ? 1n : 0n);
    const text = kept.toString().padStart(maximum + 1, '0');
    whole = text.slice(0, text.length - maximum);
    fraction = text.slice(text.length - maximum);
  }
  fraction = fraction.replace(/0+$/, '').padEnd(minimum, '0');
  const grouped = whole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const negative = sign === '-' && /[1-9]/.test(whole + fraction);
  return `${negative ? '-' : ''}$${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** For dashboards: cents for amounts of a dollar and more, four decimals below (sub-cent figures are common). */
export function formatDecimalUsdShort(value: string | null | undefined): string {
  if (value == null) return '—';
  const below = /^-?0(\.|$)/.test(value.trim());
  return formatDecimalUsd(value, { maximumFractionDigits: below ? 4 : 2 });
}

/** nano-USD as an integer string → USD decimal string: '1234567' → '0.001234567'. */
export function nanoUsdToDecimal(nanoUsd: bigint): string {
  const negative = nanoUsd < 0n;
  const digits = (negative ? -nanoUsd : nanoUsd).toString().padStart(10, '0');
  const fraction = digits.slice(-9).replace(/0+$/, '');
  return `${negative ? '-' : ''}${digits.slice(0, -9)}${fraction ? `.${fraction}` : ''}`;
}

/**
 * A react-admin validator for a decimal typed into a form: plain digits with at most `places` decimals, as the
 * column keeps them (the server refuses more rather than rounding; this says so before the round trip).
 */
export function decimalText(places: number) {
  return (value: unknown): string | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    const text = String(value).trim();
    const match = DECIMAL_TEXT.exec(text);
    if (!match || match[1] === '-') return 'A non-negative decimal number, e.g. 2.5';
    if ((match[3] ?? '').replace(/0+$/, '').length > places) return `At most ${places} decimal places`;
    return undefined;
  };
}
