/**
 * The InfraMonitoring pipeline the console's tests deploy: the live definition file
 * (src/pipeline/infra-monitoring.asl.json), Task (Lambda, retries, Catch), Wait, Task (DynamoDB),
 * Choice, Pass, Task (SNS) and Fail states.
 */
import definition from '../../../src/pipeline/infra-monitoring.asl.json' with { type: 'json' };

export const PIPELINE_DEFINITION_OBJECT = definition;
export const PIPELINE_DEFINITION = JSON.stringify(PIPELINE_DEFINITION_OBJECT);
