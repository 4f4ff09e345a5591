/**
 * Prefix filters as key ranges. Both adapters order resource ARNs in code point order (SQLite's
 * BINARY collation and PostgreSQL's "C" collation over UTF-8), where the strings that start with a
 * prefix are exactly those in [prefix, prefixUpperBound(prefix)). A range needs no LIKE escaping,
 * is case-sensitive in SQLite too, and walks the (kind, arn) primary key.
 */

/**
 * The exclusive upper bound of the strings starting with `prefix`: the prefix with its last code
 * point below U+10FFFF incremented and what follows it dropped. Undefined when there is none (an
 * empty prefix, or one made only of U+10FFFF): then the range is unbounded above.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0) ?? 0);
  for (let i = points.length - 1; i >= 0; i--) {
    const point = points[i] ?? 0;
    if (point >= 0x10ffff) continue;
    // Skip the surrogate block: it holds no characters that a well-formed string can contain.
    const next = point + 1 === 0xd800 ? 0xe000 : point + 1;
    return String.fromCodePoint(...points.slice(0, i), next);
  }
  return undefined;
}
