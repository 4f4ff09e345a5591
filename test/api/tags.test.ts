/** TagResource, UntagResource, ListTagsForResource through the real AWS SDK against a real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type SFNClient,
  type Tag,
} from '@aws-sdk/client-sfn';
import { errorOf, ROLE, signedPost, SM_PREFIX, startHarness, type Harness } from './harness.js';

const passMachine = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

let h: Harness;
let sfn: SFNClient;

beforeAll(async () => {
  h = await startHarness();
  sfn = h.client();
});
afterAll(async () => h.stop());

async function machine(name: string, tags?: Tag[]): Promise<string> {
  const r = await sfn.send(new CreateStateMachineCommand({ name, definition: passMachine, roleArn: ROLE, ...(tags ? { tags } : {}) }));
  return r.stateMachineArn!;
}

const listTags = async (resourceArn: string) => (await sfn.send(new ListTagsForResourceCommand({ resourceArn }))).tags;

const manyTags = (n: number, prefix = 'k'): Tag[] => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: `v${i}` }));

describe('tags of state machines', () => {
  it('lists the tags given to CreateStateMachine, and an empty list for a machine without tags', async () => {
    const arn = await machine('Tagged-At-Birth', [{ key: 'team', value: 'core' }, { key: 'env', value: 'dev' }]);
    expect(await listTags(arn)).toEqual([{ key: 'team', value: 'core' }, { key: 'env', value: 'dev' }]);
    expect(await listTags(await machine('Untagged'))).toEqual([]);
  });

  it('tags, overwrites an existing key, and untags (absent keys are fine)', async () => {
    const arn = await machine('Tag-Cycle', [{ key: 'team', value: 'core' }]);
    const before = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));

    await sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'env', value: 'dev' }, { key: 'team', value: 'platform' }, { key: 'empty' }] }));
    expect(await listTags(arn)).toEqual([{ key: 'team', value: 'platform' }, { key: 'env', value: 'dev' }, { key: 'empty', value: '' }]);

    await sfn.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team', 'never-there'] }));
    expect(await listTags(arn)).toEqual([{ key: 'env', value: 'dev' }, { key: 'empty', value: '' }]);

    // Tagging is not an update of the machine.
    const after = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(after.revisionId).toBe(before.revisionId);
    expect(after.definition).toBe(passMachine);
  });

  it('answers ResourceNotFound with the ARN for an unknown state machine or activity', async () => {
    const missing = `${SM_PREFIX}No-Such-Machine`;
    for (const p of [listTags(missing), sfn.send(new TagResourceCommand({ resourceArn: missing, tags: [{ key: 'a', value: 'b' }] })), sfn.send(new UntagResourceCommand({ resourceArn: missing, tagKeys: ['a'] }))]) {
      expect(await errorOf(p)).toEqual({ name: 'ResourceNotFound', message: `Resource not found: '${missing}'`, status: 404, resourceName: missing });
    }
    const activity = 'arn:aws:states:us-east-1:123456789012:activity:No-Such-Activity';
    expect(await errorOf(listTags(activity))).toMatchObject({ name: 'ResourceNotFound', message: `Resource not found: '${activity}'` });
  });

  it('answers InvalidArn for malformed ARNs and ARNs of resources that cannot be tagged', async () => {
    for (const arn of ['not-an-arn', 'arn:aws:states:us-east-1:123456789012:execution:M:e', 'arn:aws:lambda:us-east-1:123456789012:function:f', 'arn:aws:states:us-east-1:123:stateMachine:M']) {
      const e = await errorOf(listTags(arn));
      expect(e.name, arn).toBe('InvalidArn');
      expect(e.status).toBe(400);
    }
    const e = await errorOf(sfn.send(new TagResourceCommand({ resourceArn: 'arn:aws:states:us-east-1:123456789012:execution:M:e', tags: [{ key: 'a', value: 'b' }] })));
    expect(e).toMatchObject({ name: 'InvalidArn', message: "Invalid Arn: 'Resource type not valid in this context: execution'" });
  });

  it('allows 50 tags and answers TooManyTags (naming the resource) beyond, counting an overwrite once', async () => {
    const arn = await machine('Fifty', manyTags(49));
    await sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'k0', value: 'again' }, { key: 'last', value: 'x' }] }));
    expect(await listTags(arn)).toHaveLength(50);

    const e = await errorOf(sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'one-too-many', value: 'x' }] })));
    expect(e).toMatchObject({ name: 'TooManyTags', status: 400, resourceName: arn });
    expect(await listTags(arn)).toHaveLength(50);

    const created = await errorOf(machine('Fifty-One', manyTags(51)));
    expect(created).toMatchObject({ name: 'TooManyTags', resourceName: `${SM_PREFIX}Fifty-One` });
  });

  it("refuses keys starting with 'aws:' and keys or values out of length with ValidationException", async () => {
    const arn = await machine('Reserved-Keys');
    for (const key of ['aws:owner', 'AWS:owner']) {
      const e = await errorOf(sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key, value: 'me' }] })));
      expect(e.name, key).toBe('ValidationException');
      expect(e.message).toContain("'aws:'");
    }
    expect((await errorOf(sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: '', value: 'v' }] })))).message).toBe(
      "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect((await errorOf(sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'ok', value: 'v' }, { key: 'k'.repeat(129), value: 'v' }] })))).message).toContain(
      "at 'tags.2.member.key' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
    expect((await errorOf(sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'long', value: 'v'.repeat(257) }] })))).name).toBe('ValidationException');
    await sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'k'.repeat(128), value: 'v'.repeat(256) }] }));
    expect(await listTags(arn)).toEqual([{ key: 'k'.repeat(128), value: 'v'.repeat(256) }]);
    expect((await errorOf(machine('Reserved-At-Birth', [{ key: 'aws:x', value: 'y' }]))).name).toBe('ValidationException');
  });

  it('requires tags and tagKeys', async () => {
    const arn = await machine('Required-Members');
    const r = await signedPost(h.url, { target: 'AWSStepFunctions.TagResource', body: JSON.stringify({ resourceArn: arn }) });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ __type: 'com.amazonaws.sfn#ValidationException', message: expect.stringContaining("Value null at 'tags'") });
    const u = await signedPost(h.url, { target: 'AWSStepFunctions.UntagResource', body: JSON.stringify({ resourceArn: arn, tagKeys: [1] }) });
    expect(u.body).toMatchObject({ __type: 'com.amazonaws.sfn#SerializationException' });
  });
});
