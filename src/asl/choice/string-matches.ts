/**
 * `StringMatches` patterns: `*` matches any run of characters (including none); nothing else is
 * special. `\*` is a literal star and `\\` a literal backslash (in the JSON text: "\\*" and "\\\\");
 * a backslash before any other character stands for that character. A pattern ending in an
 * unfinished escape is an "open escape", which the spec makes a runtime error, so it compiles to
 * `undefined` and the caller raises the error when the rule is evaluated.
 */

export type StringMatcher = (value: string) => boolean;

export function compileStringMatches(pattern: string): StringMatcher | undefined {
  const pieces: string[] = [''];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      if (i + 1 >= pattern.length) return undefined;
      pieces[pieces.length - 1] += pattern[++i] as string;
    } else if (c === '*') {
      pieces.push('');
    } else {
      pieces[pieces.length - 1] += c;
    }
  }
  return (value) => matchPieces(pieces, value);
}

/**
 * `pieces` are the literal runs between stars. With `*` as the only wildcard, taking each middle
 * run at its leftmost occurrence is optimal, so this is linear-ish and never backtracks.
 */
function matchPieces(pieces: readonly string[], value: string): boolean {
  const first = pieces[0] as string;
  if (pieces.length === 1) return value === first;
  const last = pieces[pieces.length - 1] as string;
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let pos = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i] as string;
    const at = value.indexOf(piece, pos);
    if (at < 0 || at + piece.length > end) return false;
    pos = at + piece.length;
  }
  return true;
}
