/**
 * One delivery attempt per protocol. Each answers whether it arrived, and if not whether SNS would
 * try again: for HTTP/S, status 5xx, 429, a timeout or a connection error are retried and any
 * other failure is permanent (AWS: "Amazon SNS considers all 5XX errors and 429 errors as
 * retryable"); for SMTP, a 5xx reply is permanent and anything else is retried.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Transporter } from 'nodemailer';
import { createTransport } from 'nodemailer';
import { functionArnOf } from './arns.js';
import { envelopeOf, lambdaEventOf, type EnvelopeUrls } from './envelope.js';
import type { Json } from '../../lib/json.js';
import type { Notification, SmtpSettings, SubscriptionDoc } from './types.js';

export type Outcome = { ok: true; statusCode?: number } | { ok: false; retryable: boolean; error: string; statusCode?: number };

export interface DeliveryJob {
  notification: Notification;
  subscriptionArn: string;
  subscription: SubscriptionDoc;
  /** The topic's DisplayName: the sender name of emails. */
  displayName: string | undefined;
}

/** Invokes a local Lambda function asynchronously with an event (rejects when it fails). */
export type FunctionInvoker = (functionArn: string, event: Json) => Promise<unknown>;

export interface TransportOptions {
  urls: EnvelopeUrls;
  smtp: SmtpSettings | undefined;
  invokeFunction: FunctionInvoker | undefined;
  /** Lambda endpoints given by name are made ARNs in this region and account. */
  region: string;
  account: string;
  /** How long an HTTP/S endpoint has to answer (SNS waits 15 seconds). */
  httpTimeoutMs: number;
}

/** SNS's default email subject. */
export const DEFAULT_EMAIL_SUBJECT = 'AWS Notification Message';

export class Transports {
  private mailer: Transporter | undefined;

  constructor(private readonly opts: TransportOptions) {}

  async deliver(job: DeliveryJob): Promise<Outcome> {
    const { protocol } = job.subscription;
    const message = job.notification.byProtocol?.[protocol] ?? job.notification.message;
    try {
      switch (protocol) {
        case 'http':
        case 'https':
          return await this.http(job, message);
        case 'email':
        case 'email-json':
          return await this.email(job, message);
        case 'file':
          return await this.file(job, message);
        case 'lambda':
          return await this.lambda(job, message);
      }
    } catch (err) {
      return { ok: false, retryable: true, error: errorText(err) };
    }
  }

  close(): void {
    this.mailer?.close();
    this.mailer = undefined;
  }

  private async http(job: DeliveryJob, message: string): Promise<Outcome> {
    const { notification: n, subscription: sub } = job;
    const url = new URL(sub.endpoint);
    const headers: Record<string, string> = {
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': n.messageId,
      'x-amz-sns-topic-arn': n.topicArn,
      'x-amz-sns-subscription-arn': job.subscriptionArn,
      'Content-Type': 'text/plain; charset=UTF-8',
      'User-Agent': 'Amazon Simple Notification Service Agent',
    };
    if (sub.rawMessageDelivery) headers['x-amz-sns-rawdelivery'] = 'true';
    // Credentials in the URL (https://user:pass@host/) are sent as Basic authentication, as SNS does.
    if (url.username || url.password) {
      headers['Authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    const body = sub.rawMessageDelivery ? message : JSON.stringify(envelopeOf(n, message, job.subscriptionArn, this.opts.urls));
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(this.opts.httpTimeoutMs) });
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      return { ok: false, retryable: true, error: errorText(cause ?? err) };
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status };
    const retryable = res.status >= 500 || res.status === 429;
    return { ok: false, retryable, statusCode: res.status, error: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}` };
  }

  private async email(job: DeliveryJob, message: string): Promise<Outcome> {
    const smtp = this.opts.smtp;
    if (!smtp) return { ok: false, retryable: false, error: 'no SMTP server is configured (the smtp section of stepwise.yaml)' };
    this.mailer ??= createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      requireTLS: smtp.requireTLS ?? false,
      tls: { rejectUnauthorized: smtp.rejectUnauthorized ?? true },
      ...(smtp.auth ? { auth: { user: smtp.auth.user, pass: smtp.auth.pass } } : {}),
    });
    const { notification: n, subscription: sub } = job;
    const text = sub.protocol === 'email-json' ? JSON.stringify(envelopeOf(n, message, job.subscriptionArn, this.opts.urls)) : message;
    try {
      await this.mailer.sendMail({ from: fromWithName(smtp.from, job.displayName), to: sub.endpoint, subject: n.subject ?? DEFAULT_EMAIL_SUBJECT, text });
      return { ok: true };
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      return { ok: false, retryable: !(typeof code === 'number' && code >= 500 && code < 600) && (err as { code?: string }).code !== 'EAUTH', error: errorText(err) };
    }
  }

  private async file(job: DeliveryJob, message: string): Promise<Outcome> {
    const path = resolve(job.subscription.endpoint);
    await mkdir(dirname(path), { recursive: true });
    const line = JSON.stringify({ ...envelopeOf(job.notification, message, job.subscriptionArn, this.opts.urls), SubscriptionArn: job.subscriptionArn });
    await appendFile(path, `${line}\n`, 'utf8');
    return { ok: true };
  }

  private async lambda(job: DeliveryJob, message: string): Promise<Outcome> {
    const invoke = this.opts.invokeFunction;
    if (!invoke) return { ok: false, retryable: false, error: 'no function invoker is wired for lambda subscriptions' };
    const arn = functionArnOf(job.subscription.endpoint, this.opts.region, this.opts.account);
    try {
      await invoke(arn, lambdaEventOf(job.notification, message, job.subscriptionArn, this.opts.urls));
      return { ok: true };
    } catch (err) {
      // A function that does not exist will not appear by retrying.
      const name = err instanceof Error ? err.name : '';
      return { ok: false, retryable: !/ResourceNotFound/.test(name), error: `${name && name !== 'Error' ? `${name}: ` : ''}${errorText(err)}` };
    }
  }
}

/** `Name <address>` from a bare `from` address and the topic's DisplayName; a `from` with a name keeps it. */
function fromWithName(from: string, displayName: string | undefined): string {
  if (!displayName || from.includes('<')) return from;
  return `"${displayName.replace(/["\\]/g, '')}" <${from}>`;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
