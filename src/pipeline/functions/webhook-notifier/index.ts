/**
 * webhook-notifier: subscribed to the alerts topic (SNS → Lambda), it posts each notification to
 * the webhook in WEBHOOK_URL as a Slack-compatible message (`{"text": …}`), which Slack, Mattermost,
 * Rocket.Chat and Discord's Slack-compatible endpoint all accept. A non-2xx answer fails the
 * invocation, so SNS records the delivery as failed.
 */
interface SnsRecord {
  Sns?: { Subject?: string | null; Message?: string; Timestamp?: string; TopicArn?: string };
}

export const handler = async (event: { Records?: SnsRecord[] }): Promise<{ delivered: number }> => {
  const url = process.env['WEBHOOK_URL'];
  if (!url) throw new Error('WEBHOOK_URL is not set: the webhook notifier has nowhere to post');
  let delivered = 0;
  for (const record of event.Records ?? []) {
    const sns = record.Sns ?? {};
    const text = sns.Subject ? `*${sns.Subject}*\n${sns.Message ?? ''}` : (sns.Message ?? '');
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }), signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`webhook ${url} answered HTTP ${res.status}`);
    delivered++;
  }
  return { delivered };
};
