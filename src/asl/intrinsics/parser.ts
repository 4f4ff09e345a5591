/**
 * Parser for JSONPath-mode intrinsic calls: `States.Name(arg, ...)` where an argument is a
 * single-quoted string, a number, `true`/`false`/`null`, a Path (`$…`, `$$…`, `$var…`) or a
 * nested call. Parsing happens once, when a definition is compiled; anything malformed here is
 * a definition error, not a runtime one.
 */
import type { Json } from '../../lib/json.js';
import { compilePath, JsonPathSyntaxError, type CompiledPath } from '../jsonpath.js';

export class IntrinsicSyntaxError extends Error {
  override readonly name = 'IntrinsicSyntaxError';
}

/** A string literal keeps its escaped source too: States.Format must tell `\{` from `{`. */
export type IntrinsicArg =
  | { kind: 'literal'; value: Json; raw?: string }
  | { kind: 'path'; path: CompiledPath }
  | { kind: 'call'; call: IntrinsicCallNode };

export interface IntrinsicCallNode {
  readonly name: string;
  readonly args: readonly IntrinsicArg[];
  /** Source text of the call, for messages. */
  readonly text: string;
}

/** AWS documents up to 10 nested intrinsic functions within one field. */
export const MAX_NESTING = 10;

const NAME = /^States\.[A-Za-z0-9]+/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const KEYWORDS: readonly [string, Json][] = [
  ['null', null],
  ['true', true],
  ['false', false],
];
/** The only characters a backslash may escape inside an intrinsic string literal. */
const ESCAPABLE = new Set(["'", '{', '}', '\\']);

export function parseIntrinsic(text: string, knownNames: ReadonlySet<string>): IntrinsicCallNode {
  const parser = new Parser(text, knownNames);
  const call = parser.parseCall(1);
  parser.expectEnd();
  return call;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly knownNames: ReadonlySet<string>,
  ) {}

  private fail(message: string): never {
    throw new IntrinsicSyntaxError(`Invalid intrinsic function call '${this.text}': ${message} at position ${this.pos}`);
  }

  private skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }

  expectEnd(): void {
    if (this.pos !== this.text.length) this.fail('unexpected text after the closing parenthesis');
  }

  parseCall(depth: number): IntrinsicCallNode {
    const start = this.pos;
    const m = NAME.exec(this.text.slice(this.pos));
    if (!m) this.fail("expected a function name such as 'States.Format'");
    const name = m[0];
    if (!this.knownNames.has(name)) this.fail(`unknown intrinsic function '${name}'`);
    if (depth > MAX_NESTING) this.fail(`more than ${MAX_NESTING} nested intrinsic functions`);
    this.pos += name.length;
    if (this.text[this.pos] !== '(') this.fail("expected '('");
    this.pos++;
    const args: IntrinsicArg[] = [];
    this.skipSpaces();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return { name, args, text: this.text.slice(start, this.pos) };
    }
    for (;;) {
      this.skipSpaces();
      args.push(this.parseArg(depth));
      this.skipSpaces();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ')') {
        this.pos++;
        return { name, args, text: this.text.slice(start, this.pos) };
      }
      this.fail(c === undefined ? "missing ')'" : `unexpected character '${c}'`);
    }
  }

  private parseArg(depth: number): IntrinsicArg {
    const rest = this.text.slice(this.pos);
    const c = rest[0];
    if (c === "'") return this.parseString();
    if (c === '$') return { kind: 'path', path: this.parsePath() };
    if (rest.startsWith('States.')) return { kind: 'call', call: this.parseCall(depth + 1) };
    const num = NUMBER.exec(rest);
    if (num && !/[\w.]/.test(rest[num[0].length] ?? '')) {
      this.pos += num[0].length;
      return { kind: 'literal', value: Number(num[0]) };
    }
    for (const [word, value] of KEYWORDS) {
      if (rest.startsWith(word) && !/\w/.test(rest[word.length] ?? '')) {
        this.pos += word.length;
        return { kind: 'literal', value };
      }
    }
    this.fail(c === undefined || c === ',' || c === ')' ? 'missing argument' : `unexpected argument starting with '${c}'`);
  }

  private parseString(): IntrinsicArg {
    const t = this.text;
    this.pos++; // opening quote
    const from = this.pos;
    let value = '';
    while (this.pos < t.length && t[this.pos] !== "'") {
      const ch = t[this.pos] as string;
      if (ch === '\\') {
        const next = t[this.pos + 1];
        if (next === undefined || !ESCAPABLE.has(next)) this.fail(`invalid escape sequence '\\${next ?? ''}'`);
        value += next;
        this.pos += 2;
      } else {
        value += ch;
        this.pos++;
      }
    }
    if (t[this.pos] !== "'") this.fail('unterminated string literal');
    const raw = t.slice(from, this.pos);
    this.pos++;
    return { kind: 'literal', value, raw };
  }

  /** A path runs to the next `,` or `)` that is outside brackets, quotes and path-function parentheses. */
  private parsePath(): CompiledPath {
    const t = this.text;
    const start = this.pos;
    let brackets = 0;
    let parens = 0;
    let quote: string | undefined;
    for (; this.pos < t.length; this.pos++) {
      const ch = t[this.pos] as string;
      if (quote) {
        if (ch === '\\') this.pos++;
        else if (ch === quote) quote = undefined;
        continue;
      }
      if (brackets > 0 && (ch === "'" || ch === '"')) quote = ch;
      else if (ch === '[') brackets++;
      else if (ch === ']') brackets--;
      else if (ch === '(') parens++;
      else if (ch === ')') {
        if (brackets === 0 && parens === 0) break;
        parens--;
      } else if (ch === ',' && brackets === 0 && parens === 0) break;
    }
    const text = t.slice(start, this.pos).trimEnd();
    try {
      return compilePath(text);
    } catch (err) {
      if (err instanceof JsonPathSyntaxError) this.fail(`invalid path argument '${text}'`);
      throw err;
    }
  }
}
