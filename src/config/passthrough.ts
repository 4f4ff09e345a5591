/**
 * The `passthrough` section: Task states of a service go to an AWS-compatible endpoint (real AWS,
 * or another emulator) instead of Stepwise's local implementation, so a definition never changes.
 *   passthrough:
 *     dynamodb: {endpoint: http://127.0.0.1:8000, region: us-east-1}
 *     s3: {endpoint: https://s3.eu-west-1.amazonaws.com, region: eu-west-1, forcePathStyle: false}
 * Credentials come from the AWS SDK's usual chain (AWS_ACCESS_KEY_ID…, profiles, instance roles).
 */
import type { PassthroughConfig } from './types.js';
import { bool, entries, fail, str, type Source, type YamlNode } from './yaml-nodes.js';

const SERVICES = ['dynamodb', 's3'] as const;
const KEYS = ['endpoint', 'region', 'forcePathStyle'] as const;

export function readPassthrough(src: Source, node: YamlNode): PassthroughConfig {
  const out: PassthroughConfig = {};
  for (const [service, { value }] of entries(src, node, 'passthrough', SERVICES)) {
    const path = `passthrough.${service}`;
    const fields = entries(src, value, path, KEYS);
    const endpoint = fields.get('endpoint');
    if (!endpoint) fail(src, value, `${path} needs an endpoint (an http(s) URL)`);
    const url = str(src, endpoint.value, `${path}.endpoint`);
    if (!/^https?:\/\/[^\s/]+/.test(url)) fail(src, endpoint.value, `${path}.endpoint must be an http(s) URL, got '${url}'`);
    const region = fields.get('region');
    const pathStyle = fields.get('forcePathStyle');
    if (pathStyle && service !== 's3') fail(src, pathStyle.key, `${path}.forcePathStyle is S3's only`);
    const cfg = { endpoint: url, ...(region && { region: str(src, region.value, `${path}.region`) }), ...(pathStyle && { forcePathStyle: bool(src, pathStyle.value, `${path}.forcePathStyle`) }) };
    if (service === 'dynamodb') out.dynamodb = cfg;
    else out.s3 = cfg;
  }
  return out;
}
