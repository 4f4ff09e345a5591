/** A Query API form read into the SNS API's members, as the AWS SDKs and CLI flatten them. */
import { describe, expect, it } from 'vitest';
import { readQueryForm } from '../../../src/integrations/sns/query-params.js';

describe('readQueryForm', () => {
  it('reads Action and Version apart from the parameters, maps by key/value and Name/Value, and lists by member index', () => {
    const form = [
      'Action=Publish',
      'Version=2010-03-31',
      'TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3AT',
      'Message=two+words%20here',
      'MessageAttributes.entry.2.Name=bin',
      'MessageAttributes.entry.2.Value.DataType=Binary',
      'MessageAttributes.entry.2.Value.BinaryValue=AQID',
      'MessageAttributes.entry.1.Name=kind',
      'MessageAttributes.entry.1.Value.DataType=String',
      'MessageAttributes.entry.1.Value.StringValue=alarm',
      'Attributes.entry.1.key=DisplayName',
      'Attributes.entry.1.value=Desk',
      'Tags.member.2.Key=b',
      'Tags.member.2.Value=2',
      'Tags.member.1.Key=a',
      'Tags.member.1.Value=1',
    ].join('&');
    expect(readQueryForm(form)).toEqual({
      action: 'Publish',
      version: '2010-03-31',
      params: {
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:T',
        Message: 'two words here',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'alarm' }, bin: { DataType: 'Binary', BinaryValue: 'AQID' } },
        Attributes: { DisplayName: 'Desk' },
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      },
    });
  });

  it("refuses what no SDK sends with SNS's InvalidParameter: a bad index, an entry without a key, a value that is also a structure", () => {
    expect(() => readQueryForm('Action=CreateTopic&Attributes.entry.x.key=a&Attributes.entry.x.value=b')).toThrow('Invalid parameter: Attributes.entry.x');
    expect(() => readQueryForm('Action=CreateTopic&Attributes.entry.1.value=b')).toThrow('Invalid parameter: Attributes.entry.1 Reason: the entry has no key');
    expect(() => readQueryForm('Action=Publish&Message=a&Message.x=b')).toThrow('Invalid parameter: Message');
  });
});
