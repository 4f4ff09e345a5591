/** SNS: topics with real deliveries (HTTP/S, email over SMTP, email-json, file, Lambda). */
export { snsIntegration, type SnsIntegration, type SnsOptions } from './integration.js';
export { SnsServiceError } from './errors.js';
export { timerScheduler, type DeliveryPage, type DeliveryQuery, type Scheduler } from './deliveries.js';
export { DEFAULT_DELIVERY_POLICIES } from './retry-policy.js';
export { signingKeyPem, SIGNING_CERT_PATH } from './envelope.js';
export type { FunctionInvoker } from './transports.js';
export type { DeliveryPolicy, DeliveryRecord, DeliveryStatus, Protocol, SmtpSettings, SubscriptionDeclaration, TopicDeclaration } from './types.js';
export { snsQueryApi, type QueryAnswer, type SnsQueryApi } from './query-api.js';
