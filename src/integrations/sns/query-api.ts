/**
 * SNS's API over HTTP as the AWS SDKs and the AWS CLI speak it (the Query protocol: a form body
 * `Action=<Operation>&Version=2010-03-31&…`, answered in XML), as a handler the API edge routes to
 * once it has verified the request's SigV4 signature: form text in, status, headers and XML out.
 * Errors are SNS's: `<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code>…` with their
 * HTTP status. The actions share their rules with the Task integration (sdk-actions.ts, publish.ts).
 *
 * Also the Stepwise-specific read of delivery records the edge serves as `Stepwise.ListDeliveries`.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../../lib/json.js';
import { snsErrorXml, snsResponseXml, SNS_API_VERSION, SNS_XML_CONTENT_TYPE, XmlMap, type XmlStructure, type XmlValue } from '../../lib/sns-query-xml.js';
import type { DeliveryPage, DeliveryQuery } from './deliveries.js';
import { SnsServiceError, snsErrors } from './errors.js';
import type { SnsIntegration } from './integration.js';
import { readQueryForm } from './query-params.js';
import * as sdk from './sdk-actions.js';

export interface QueryAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Action = (params: JsonObject) => Promise<unknown>;

/** Each action with the parameters it takes; any other parameter is refused rather than ignored. */
function actions(sns: SnsIntegration): Record<string, { params: readonly string[]; run: Action }> {
  const { topics } = sns;
  return {
    CreateTopic: { params: ['Name', 'Attributes'], run: (p) => sdk.createTopic(topics, p) },
    DeleteTopic: { params: ['TopicArn'], run: (p) => sdk.deleteTopic(topics, p) },
    ListTopics: { params: ['NextToken'], run: (p) => sdk.listTopics(topics, p) },
    GetTopicAttributes: { params: ['TopicArn'], run: (p) => sdk.getTopicAttributes(topics, p) },
    Subscribe: {
      params: ['TopicArn', 'Protocol', 'Endpoint', 'Attributes', 'ReturnSubscriptionArn'],
      // Stepwise confirms every subscription at once, so the ARN is returned with or without ReturnSubscriptionArn.
      run: (p) => {
        const r = p['ReturnSubscriptionArn'];
        if (r !== undefined && r !== 'true' && r !== 'false') throw snsErrors.invalidParameter('ReturnSubscriptionArn');
        return sdk.subscribe(topics, p);
      },
    },
    Unsubscribe: { params: ['SubscriptionArn'], run: (p) => sdk.unsubscribe(topics, p) },
    ListSubscriptions: { params: ['NextToken'], run: (p) => sdk.listSubscriptions(topics, p) },
    ListSubscriptionsByTopic: { params: ['TopicArn', 'NextToken'], run: (p) => sdk.listSubscriptionsByTopic(topics, p) },
    Publish: {
      params: ['TopicArn', 'TargetArn', 'PhoneNumber', 'Message', 'Subject', 'MessageStructure', 'MessageAttributes', 'MessageGroupId', 'MessageDeduplicationId'],
      run: async (p) => {
        const r = await sns.publish(p);
        return { ...(r.sequenceNumber !== undefined ? { SequenceNumber: r.sequenceNumber } : {}), MessageId: r.messageId };
      },
    },
  };
}

/** A result as the JSON the actions give, in XML's terms: `Attributes` is a map, lists hold structures. */
function xmlOf(value: unknown, name: string): XmlValue {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((m) => xmlOf(m, 'member') as XmlStructure);
  const obj = value as Record<string, unknown>;
  if (name === 'Attributes') return new XmlMap(Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, String(v)])));
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, xmlOf(v, k)])) as XmlStructure;
}

export interface SnsQueryApi {
  handle(form: string): Promise<QueryAnswer>;
  listDeliveries(query: DeliveryQuery): Promise<DeliveryPage>;
}

export function snsQueryApi(sns: SnsIntegration, onError: (err: unknown) => void = reportUnexpected): SnsQueryApi {
  const table = actions(sns);
  const known = Object.keys(table);
  const answer = (status: number, body: string, requestId: string): QueryAnswer => ({ status, headers: { 'content-type': SNS_XML_CONTENT_TYPE, 'x-amzn-requestid': requestId }, body });

  return {
    async handle(form) {
      const requestId = randomUUID();
      try {
        const { action, version, params } = readQueryForm(form);
        if (action === undefined || action === '') throw new SnsServiceError(undefined, 'MissingAction', 400, 'Missing Action');
        const op = table[action];
        if (!op) throw new SnsServiceError(undefined, 'InvalidAction', 400, `Stepwise does not implement the SNS action ${action} (it answers ${known.join(', ')}).`);
        if (version !== undefined && version !== SNS_API_VERSION) throw new SnsServiceError(undefined, 'InvalidAction', 400, `Could not find operation ${action} for version ${version}`);
        for (const name of Object.keys(params)) {
          if (!op.params.includes(name)) throw snsErrors.invalidParameter(`${name} Reason: Stepwise does not support this parameter of ${action} (it takes ${op.params.join(', ')})`);
        }
        await sns.start();
        const result = await op.run(params);
        return answer(200, snsResponseXml(action, xmlOf(result, action) as XmlStructure, requestId), requestId);
      } catch (err) {
        if (err instanceof SnsServiceError) return answer(err.status, snsErrorXml(err.code, err.message, err.status, requestId), requestId);
        onError(err);
        return answer(500, snsErrorXml('InternalError', 'Internal Error', 500, requestId), requestId);
      }
    },
    listDeliveries: (query) => sns.listDeliveries(query),
  };
}

function reportUnexpected(err: unknown): void {
  console.error('stepwise sns api: unexpected error:', err);
}
