/**
 * What a subscriber receives: SNS's JSON notification envelope (HTTP/S, email-json, file), and the
 * event a Lambda function subscribed to a topic is invoked with. Field names and order follow
 * AWS's documentation ("HTTP/HTTPS notification JSON format"; Lambda's "Using Lambda with Amazon
 * SNS" sample event).
 *
 * Signature: SignatureVersion 1, a real SHA1withRSA signature over SNS's canonical string, made
 * with a key generated once per process. SigningCertURL names where a server may publish that
 * key (`signingKeyPem()`); it is not AWS's certificate, so a validator that fetches AWS's
 * certificate will not accept it.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Json, JsonObject } from '../../lib/json.js';
import type { Notification } from './types.js';

export const SIGNING_CERT_PATH = '/SimpleNotificationService-stepwise.pem';

let keys: { privateKey: KeyObject; publicKey: KeyObject } | undefined;
function signingKeys(): { privateKey: KeyObject; publicKey: KeyObject } {
  keys ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
  return keys;
}

/** The public key that verifies this process's signatures (PEM, SPKI). */
export function signingKeyPem(): string {
  return signingKeys().publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** SNS's string to sign for a Notification: name and value lines, in this order, Subject only when present. */
export function stringToSign(n: { Message: string; MessageId: string; Subject?: string | undefined; Timestamp: string; TopicArn: string; Type: string }): string {
  const parts: [string, string | undefined][] = [
    ['Message', n.Message],
    ['MessageId', n.MessageId],
    ['Subject', n.Subject],
    ['Timestamp', n.Timestamp],
    ['TopicArn', n.TopicArn],
    ['Type', n.Type],
  ];
  return parts
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}\n${v}\n`)
    .join('');
}

function sign(text: string): string {
  return createSign('RSA-SHA1').update(text, 'utf8').sign(signingKeys().privateKey, 'base64');
}

export interface EnvelopeUrls {
  /** Where Stepwise answers (UnsubscribeURL, SigningCertURL), e.g. http://127.0.0.1:8083. */
  publicUrl: string;
}

function unsubscribeUrl(urls: EnvelopeUrls, subscriptionArn: string): string {
  return `${urls.publicUrl}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;
}

/** The JSON envelope of one delivery (HTTP/S body, email-json body, file line). */
export function envelopeOf(n: Notification, message: string, subscriptionArn: string, urls: EnvelopeUrls): JsonObject {
  const base = { Type: 'Notification', MessageId: n.messageId, TopicArn: n.topicArn, Subject: n.subject, Message: message, Timestamp: n.timestamp };
  const env: JsonObject = {
    Type: 'Notification',
    MessageId: n.messageId,
    ...(n.sequenceNumber !== undefined ? { SequenceNumber: n.sequenceNumber } : {}),
    TopicArn: n.topicArn,
    ...(n.subject !== undefined ? { Subject: n.subject } : {}),
    Message: message,
    Timestamp: n.timestamp,
    SignatureVersion: '1',
    Signature: sign(stringToSign(base)),
    SigningCertURL: `${urls.publicUrl}${SIGNING_CERT_PATH}`,
    UnsubscribeURL: unsubscribeUrl(urls, subscriptionArn),
  };
  if (Object.keys(n.attributes).length > 0) env['MessageAttributes'] = n.attributes as unknown as Json;
  return env;
}

/** The event a subscribed Lambda function gets: `{Records: [{EventSource: 'aws:sns', Sns: {...}}]}`. */
export function lambdaEventOf(n: Notification, message: string, subscriptionArn: string, urls: EnvelopeUrls): JsonObject {
  const base = { Type: 'Notification', MessageId: n.messageId, TopicArn: n.topicArn, Subject: n.subject, Message: message, Timestamp: n.timestamp };
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: n.messageId,
          ...(n.sequenceNumber !== undefined ? { SequenceNumber: n.sequenceNumber } : {}),
          TopicArn: n.topicArn,
          Subject: n.subject ?? null,
          Message: message,
          Timestamp: n.timestamp,
          SignatureVersion: '1',
          Signature: sign(stringToSign(base)),
          SigningCertUrl: `${urls.publicUrl}${SIGNING_CERT_PATH}`,
          UnsubscribeUrl: unsubscribeUrl(urls, subscriptionArn),
          MessageAttributes: n.attributes as unknown as Json,
        },
      },
    ],
  };
}
