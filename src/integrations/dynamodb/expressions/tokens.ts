/**
 * The lexer and parser base shared by DynamoDB's expression languages (condition, key condition,
 * update, projection), with DynamoDB's syntax error: `Syntax error; token: "<t>", near: "<w>"`,
 * where the window runs from the token before the offending one to the token after it
 * (`ADD hits : incr` fails at `:` near `hits : incr`), and `<EOF>` names the end.
 */
import { validation } from '../errors.js';

export type TokenKind = 'name' | 'attrName' | 'attrValue' | 'number' | 'op' | 'bad';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const OPS = ['<>', '<=', '>=', '=', '<', '>', '+', '-', '(', ')', '[', ']', '.', ','];

function isNameChar(c: string): boolean {
  return /[A-Za-z0-9_]/.test(c);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '#' || c === ':') {
      i++;
      while (i < source.length && isNameChar(source[i] as string)) i++;
      const kind = i === start + 1 ? 'bad' : c === '#' ? 'attrName' : 'attrValue';
      tokens.push({ kind, text: source.slice(start, i), start, end: i });
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < source.length && /[0-9]/.test(source[i] as string)) i++;
      tokens.push({ kind: 'number', text: source.slice(start, i), start, end: i });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < source.length && isNameChar(source[i] as string)) i++;
      tokens.push({ kind: 'name', text: source.slice(start, i), start, end: i });
      continue;
    }
    const op = OPS.find((o) => source.startsWith(o, i));
    if (op) {
      i += op.length;
      tokens.push({ kind: 'op', text: op, start, end: i });
      continue;
    }
    // One character (a whole code point) that no token starts with.
    const ch = String.fromCodePoint(source.codePointAt(i) as number);
    i += ch.length;
    tokens.push({ kind: 'bad', text: ch, start, end: i });
  }
  return tokens;
}

/** A syntax error, with where it happened so that backtracking keeps the one that got furthest. */
export class SyntaxFailure extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

export class TokenStream {
  pos = 0;
  readonly tokens: Token[];

  constructor(readonly source: string) {
    this.tokens = tokenize(source);
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }

  next(): Token {
    const t = this.tokens[this.pos];
    if (!t) throw this.fail();
    this.pos++;
    return t;
  }

  isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'op' && t.text === text;
  }

  /** A keyword, case-insensitive. */
  isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'name' && t.text.toUpperCase() === word;
  }

  expectOp(text: string): Token {
    if (!this.isOp(text)) throw this.fail();
    return this.next();
  }

  /** DynamoDB's syntax error at the current token (or the end). */
  fail(): SyntaxFailure {
    const i = this.pos;
    const t = this.tokens[i];
    const prev = this.tokens[i - 1];
    const next = this.tokens[i + 1];
    const from = prev?.start ?? t?.start ?? this.source.length;
    const to = t ? (next?.end ?? t.end) : this.source.length;
    return new SyntaxFailure(`Syntax error; token: "${t ? t.text : '<EOF>'}", near: "${this.source.slice(from, to)}"`, i);
  }

  /** Try `parse`; on a syntax error, rewind and return undefined with the failure. */
  attempt<T>(parse: () => T): { ok: true; value: T } | { ok: false; failure: SyntaxFailure } {
    const saved = this.pos;
    try {
      return { ok: true, value: parse() };
    } catch (err) {
      if (!(err instanceof SyntaxFailure)) throw err;
      this.pos = saved;
      return { ok: false, failure: err };
    }
  }
}

/** Run a parse, turning a syntax failure into the ValidationException of its expression kind. */
export function invalid(kind: string, message: string): Error {
  return validation(`Invalid ${kind}: ${message}`);
}
