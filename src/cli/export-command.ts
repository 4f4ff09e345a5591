/**
 * `stepwise export cloudformation [--out FILE]`: the InfraMonitoring system as a CloudFormation
 * template — the state machine with the identical definition (account, region and partition
 * filled in by the stack), its role and log group, the functions packaged from the same handler
 * code, the bucket with its notification, the table, the topic and the hourly rule.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { JsonObject } from '../lib/json.js';
import { cloudFormationTemplate } from '../pipeline/cloudformation.js';
import definition from '../pipeline/infra-monitoring.asl.json' with { type: 'json' };
import { UsageError } from './run-command.js';

export function exportCommand(argv: string[], out: (line: string) => void): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' } } });
  if (positionals[0] !== 'cloudformation' || positionals.length > 1) throw new UsageError(`export takes 'cloudformation', got '${positionals.join(' ')}'`);
  const template = cloudFormationTemplate({ definition: definition as unknown as JsonObject });
  const text = JSON.stringify(template, null, 2);
  if (values.out) {
    writeFileSync(values.out, text + '\n');
    out(`wrote ${values.out} (${Object.keys((template as { Resources: object }).Resources).length} resources); deploy with: aws cloudformation deploy --template-file ${values.out} --stack-name infra-monitoring --capabilities CAPABILITY_NAMED_IAM --parameter-overrides CodeBucket=<bucket> CollectorCodeKey=<collector.zip> ProcessorCodeKey=<processor.zip>`);
  } else out(text);
  return 0;
}
