/** What `npm start` deploys: the definition file itself, with only the configured re-wait limit set. */
import { describe, expect, it } from 'vitest';
import { pipelineDefinition } from '../../src/cli/pipeline-deploy.js';
import { pipelineServeArgs, pipelineSettings, PipelineSettingsError } from '../../src/cli/pipeline-settings.js';
import definition from '../../src/pipeline/infra-monitoring.asl.json' with { type: 'json' };

describe('the deployed pipeline', () => {
  it('is the definition file by default, and differs only in the re-wait limit when configured', () => {
    expect(pipelineDefinition()).toEqual(definition);
    const five = pipelineDefinition(5) as typeof definition;
    expect(five.States.IsProcessed.Choices[2]).toEqual({ Variable: '$rechecks', NumericLessThan: 5, Next: 'CountRecheck' });
    expect({ ...five, States: { ...five.States, IsProcessed: definition.States.IsProcessed } }).toEqual(definition);
  });

  it('reads its settings from STEPWISE_PIPELINE_* and refuses bad values loudly', () => {
    const s = pipelineSettings({ STEPWISE_PIPELINE_ENDPOINTS: 'https://a.example, http://b.example/health', STEPWISE_PIPELINE_MAX_RECHECKS: '5', STEPWISE_PIPELINE_CPU_THRESHOLD: '75' }, '/data');
    expect(s).toMatchObject({ endpoints: ['https://a.example', 'http://b.example/health'], maxRechecks: 5, thresholds: { cpu: 75, memory: 90, disk: 90 }, notificationsFile: '/data/notifications.jsonl' });
    expect(() => pipelineSettings({ STEPWISE_PIPELINE_ENDPOINTS: 'ftp://x' }, '/d')).toThrow(PipelineSettingsError);
    expect(() => pipelineSettings({ STEPWISE_PIPELINE_CPU_THRESHOLD: '120' }, '/d')).toThrow(/must be a percentage/);
    expect(() => pipelineSettings({}, '/d', 'everything-failure')).toThrow(/--simulate takes collector-failure/);
    const args = pipelineServeArgs(pipelineSettings({}, '/d', 'collector-failure'));
    expect(args.functions.find((f) => f.name === 'data-collector')?.environment).toMatchObject({ SIMULATE_FAILURE: 'collector', RAW_BUCKET: 'raw-metrics' });
    expect(args.roles[0]?.name).toBe('StepFunctionsExecutionRole');
    expect(args.rules[0]).toMatchObject({ name: 'StepFunctions-Pipeline-Trigger', scheduleExpression: 'rate(1 hour)' });
  });
});
