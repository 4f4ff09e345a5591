/**
 * Reading a definition given as JSON text. `JSON.parse` keeps the last of two equal keys
 * silently; AWS rejects two states of the same name in one `States` object, so the text is
 * scanned once more for duplicate keys (only after it parsed, so the scanner may trust it).
 */
import type { Json } from '../../lib/json.js';
import { at } from './report.js';

export type ParsedText = { ok: true; value: Json; duplicates: DuplicateKey[] } | { ok: false; message: string };

export interface DuplicateKey {
  key: string;
  /** Location of the object holding the key twice, in the validator's location form. */
  parent: string;
}

export function parseDefinitionText(text: string): ParsedText {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  const duplicates: DuplicateKey[] = [];
  new DuplicateScanner(text, duplicates).scanValue('');
  return { ok: true, value, duplicates };
}

class DuplicateScanner {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly out: DuplicateKey[],
  ) {}

  scanValue(location: string): void {
    this.skipWs();
    const c = this.text[this.i];
    if (c === '{') this.scanObject(location);
    else if (c === '[') this.scanArray(location);
    else if (c === '"') this.scanString();
    else this.scanLiteral();
  }

  private scanObject(location: string): void {
    this.i++;
    const seen = new Set<string>();
    this.skipWs();
    if (this.text[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.skipWs();
      const key = this.scanString();
      if (seen.has(key)) this.out.push({ key, parent: location });
      seen.add(key);
      this.skipWs();
      this.i++; // ':'
      this.scanValue(at(location, key));
      this.skipWs();
      if (this.text[this.i++] === '}') return;
    }
  }

  private scanArray(location: string): void {
    this.i++;
    this.skipWs();
    if (this.text[this.i] === ']') {
      this.i++;
      return;
    }
    for (let n = 0; ; n++) {
      this.scanValue(at(location, n));
      this.skipWs();
      if (this.text[this.i++] === ']') return;
    }
  }

  private scanString(): string {
    const start = this.i;
    this.i++;
    while (this.text[this.i] !== '"') this.i += this.text[this.i] === '\\' ? 2 : 1;
    this.i++;
    return JSON.parse(this.text.slice(start, this.i)) as string;
  }

  private scanLiteral(): void {
    while (this.i < this.text.length && !/[\s,\]}]/.test(this.text[this.i] as string)) this.i++;
  }

  private skipWs(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i] as string)) this.i++;
  }
}
