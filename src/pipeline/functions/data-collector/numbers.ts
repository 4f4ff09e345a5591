/** Rounding and rates shared by the parsers of this function. */

/** `x` rounded to two decimals (percentages, seconds). */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** `part` of `whole` in percent, two decimals; 0 when `whole` is not positive. */
export function percent(part: number, whole: number): number {
  return whole > 0 ? round2((part / whole) * 100) : 0;
}

/**
 * A counter's growth per second between two samples `elapsedMs` apart, rounded to a whole unit.
 * A counter that went backwards (wrapped, or its device was reset) counts as no growth.
 */
export function perSecond(before: number, after: number, elapsedMs: number): number {
  if (!(elapsedMs > 0)) return 0;
  return Math.round((Math.max(0, after - before) * 1000) / elapsedMs);
}

/** The whitespace-separated fields of a line, without empty ones. */
export function fields(line: string): string[] {
  return line.trim().split(/\s+/).filter((f) => f !== '');
}

/** A non-negative integer field, or an error naming the file and line. */
export function counter(value: string | undefined, file: string, line: string): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${file}: unexpected line '${line.trim()}'`);
  return n;
}
