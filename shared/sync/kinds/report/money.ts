/**
 * Money as whole cents in a bigint: sums of thousands of amounts and their conversion stay exact
 * (no binary floating point), rounded half away from zero to the cent once, where a value enters.
 */

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** A decimal string or number as cents; undefined when it is not a number. */
export function toCents(value: unknown): bigint | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const text =
    typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value).trim();
  const m = DECIMAL.exec(text);
  if (m === null || `${m[2] ?? ''}${m[3] ?? ''}` === '') return undefined;
  const negative = m[1] === '-';
  const exponent = Number(m[4] ?? 0);
  let digits = `${m[2] ?? ''}${m[3] ?? ''}`.replace(/^0+(?=\d)/, '');
  // Decimal places of `digits` after applying the exponent; cents want 2.
  let places = (m[3] ?? '').length - exponent;
  if (places < 0) {
    digits += '0'.repeat(-places);
    places = 0;
  }
  let cents: bigint;
  if (places <= 2) cents = BigInt(digits || '0') * 10n ** BigInt(2 - places);
  else {
    const scale = 10n ** BigInt(places - 2);
    const whole = BigInt(digits || '0');
    cents = whole / scale + ((whole % scale) * 2n >= scale ? 1n : 0n);
  }
  return negative ? -cents : cents;
}

/** Cents as a plain decimal string with two places ("-12.30"). */
export function formatCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** a ÷ b × 100 with two places (a percentage of b), half away from zero; undefined when b is 0. */
export function percentOf(a: bigint, b: bigint): string | undefined {
  if (b === 0n) return undefined;
  // In hundredths of a percent: a × 10000 / b, rounded.
  const n = a * 10_000n;
  const negative = n < 0n !== b < 0n;
  const [nn, bb] = [n < 0n ? -n : n, b < 0n ? -b : b];
  let q = nn / bb;
  if ((nn % bb) * 2n >= bb) q += 1n;
  return formatCents(negative ? -q : q);
}
