/**
 * DynamoDB numbers: exact decimals of up to 38 significant digits, magnitudes from 1E-130 to
 * below 1E+126. Parsed into a normal form (sign, significant digits without leading or trailing
 * zeros, decimal exponent of the first digit) so that equal numbers have one text ("1.50" and
 * "15E-1" are both "1.5", as DynamoDB returns them), compared and added exactly.
 */
export interface Decimal {
  readonly sign: -1 | 0 | 1;
  /** Significant digits, first and last non-zero; '' for zero. */
  readonly digits: string;
  /** The value is sign × d.ddd… × 10^exp. */
  readonly exp: number;
}

const NUMBER_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export const ZERO: Decimal = { sign: 0, digits: '', exp: 0 };

/** The decimal a DynamoDB `N` text denotes, or undefined when it is not a number. */
export function parseDecimal(text: string): Decimal | undefined {
  const m = NUMBER_TEXT.exec(text);
  if (!m) return undefined;
  const [, signText = '', int = '', frac = '', expText] = m;
  if (int === '' && frac === '') return undefined;
  const all = int + frac;
  const lead = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(lead).replace(/0+$/, '');
  if (digits === '') return ZERO;
  const exp = int.length - lead - 1 + (expText === undefined ? 0 : Number(expText));
  return { sign: signText === '-' ? -1 : 1, digits, exp };
}

/** Why DynamoDB refuses to store this decimal, or undefined when it fits. */
export function decimalProblem(d: Decimal): string | undefined {
  if (d.sign === 0) return undefined;
  if (d.exp > 125) return 'Number overflow. Attempting to store a number with magnitude larger than supported range';
  if (d.exp < -130) return 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
  if (d.digits.length > 38) return 'Attempting to store more than 38 significant digits in a Number';
  return undefined;
}

/** The normal text: plain notation, no exponent, no superfluous zeros. */
export function formatDecimal(d: Decimal): string {
  if (d.sign === 0) return '0';
  const n = d.digits.length;
  let text: string;
  if (d.exp >= n - 1) text = d.digits + '0'.repeat(d.exp - (n - 1));
  else if (d.exp >= 0) text = `${d.digits.slice(0, d.exp + 1)}.${d.digits.slice(d.exp + 1)}`;
  else text = `0.${'0'.repeat(-d.exp - 1)}${d.digits}`;
  return d.sign < 0 ? `-${text}` : text;
}

export function compareDecimals(a: Decimal, b: Decimal): number {
  if (a.sign !== b.sign) return a.sign < b.sign ? -1 : 1;
  if (a.sign === 0) return 0;
  let magnitude: number;
  if (a.exp !== b.exp) magnitude = a.exp < b.exp ? -1 : 1;
  else magnitude = a.digits === b.digits ? 0 : a.digits < b.digits ? -1 : 1;
  return magnitude * a.sign;
}

/** a + b, exactly. */
export function addDecimals(a: Decimal, b: Decimal): Decimal {
  if (a.sign === 0) return b;
  if (b.sign === 0) return a;
  // Each as an integer times 10^scale, where scale is the exponent of its last digit.
  const scaleA = a.exp - (a.digits.length - 1);
  const scaleB = b.exp - (b.digits.length - 1);
  const scale = Math.min(scaleA, scaleB);
  const ia = BigInt(a.sign) * BigInt(a.digits) * 10n ** BigInt(scaleA - scale);
  const ib = BigInt(b.sign) * BigInt(b.digits) * 10n ** BigInt(scaleB - scale);
  return fromScaledInteger(ia + ib, scale);
}

export function negate(d: Decimal): Decimal {
  return d.sign === 0 ? d : { ...d, sign: d.sign === 1 ? -1 : 1 };
}

function fromScaledInteger(n: bigint, scale: number): Decimal {
  if (n === 0n) return ZERO;
  const sign = n < 0n ? -1 : 1;
  const text = (n < 0n ? -n : n).toString();
  const digits = text.replace(/0+$/, '');
  return { sign, digits, exp: scale + text.length - 1 };
}
