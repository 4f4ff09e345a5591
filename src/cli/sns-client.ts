/**
 * A small SigV4-signed client of a server's SNS API, for `stepwise topics`: SNS's Query API
 * (form body, XML answers, service `sns`) and Stepwise's `Stepwise.ListDeliveries` (JSON 1.0).
 * SNS errors become ApiCallError with their code, as the Step Functions client's do.
 */
import { SNS_DELIVERIES_TARGET } from '../api/sns-route.js';
import { ApiCallError, jsonAnswer, SignedPoster, type ClientOptions } from './api-client.js';

/** The text of every `<name>…</name>` element in `xml` (elements without children), unescaped. */
export function xmlTexts(xml: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${name}>([^<]*)</${name}>`, 'g');
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(unescapeXml(m[1] as string));
  return out;
}

/** The `<member>` structures of `xml` as text members (`<Subscriptions><member><Protocol>…`). */
export function xmlMembers(xml: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const re = /<member>([\s\S]*?)<\/member>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const row: Record<string, string> = {};
    const field = /<([A-Za-z]+)>([^<]*)<\/\1>/g;
    for (let f = field.exec(m[1] as string); f; f = field.exec(m[1] as string)) row[f[1] as string] = unescapeXml(f[2] as string);
    out.push(row);
  }
  return out;
}

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[e] !== undefined) return named[e];
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

export class SnsApiClient {
  private readonly poster: SignedPoster;

  constructor(private readonly opts: ClientOptions) {
    this.poster = new SignedPoster(opts, 'sns');
  }

  get region(): string {
    return this.opts.region;
  }

  /** One Query API action; resolves with the XML answer, rejects with SNS's error. */
  async query(action: string, params: Record<string, string | undefined>): Promise<string> {
    const form = new URLSearchParams({ Action: action, Version: '2010-03-31' });
    for (const [k, v] of Object.entries(params)) if (v !== undefined) form.set(k, v);
    const { status, text } = await this.poster.post({ 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, form.toString());
    if (status < 200 || status >= 300) {
      throw new ApiCallError(xmlTexts(text, 'Code')[0] ?? 'UnknownError', xmlTexts(text, 'Message')[0] ?? `HTTP ${status}`);
    }
    return text;
  }

  /** Stepwise.ListDeliveries: delivery records, newest first. */
  async listDeliveries(input: Record<string, unknown>): Promise<{ deliveries: Record<string, unknown>[]; nextToken?: string }> {
    const { status, text } = await this.poster.post({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': SNS_DELIVERIES_TARGET }, JSON.stringify(input));
    return jsonAnswer(status, text) as { deliveries: Record<string, unknown>[]; nextToken?: string };
  }
}
