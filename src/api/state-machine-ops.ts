/** CreateStateMachine, DescribeStateMachine, UpdateStateMachine, DeleteStateMachine, ListStateMachines, ValidateStateMachineDefinition. */
import type { CreateStateMachineRequest, LoggingConfiguration, Tag, TracingConfiguration } from '../service/state-machines.js';
import type { StateMachineVersion } from '../service/versions.js';
import type { OperationTable, SfnServices } from './handler.js';
import { compact, seconds } from './wire.js';

export function stateMachineOps({ stateMachines }: SfnServices) {
  return {
    async CreateStateMachine(m) {
      const req: CreateStateMachineRequest = compact({
        name: m.reqStr('name'),
        definition: m.reqStr('definition'),
        roleArn: m.reqStr('roleArn'),
        type: m.str('type'),
        loggingConfiguration: m.obj<Partial<LoggingConfiguration>>('loggingConfiguration'),
        tracingConfiguration: m.obj<Partial<TracingConfiguration>>('tracingConfiguration'),
        tags: m.list<Tag>('tags'),
        publish: m.bool('publish'),
        versionDescription: m.str('versionDescription'),
        encryptionConfiguration: m.obj<{ type?: string }>('encryptionConfiguration'),
      });
      const r = await stateMachines.create(req);
      return compact({ stateMachineArn: r.stateMachineArn, creationDate: seconds(r.creationDate), stateMachineVersionArn: r.stateMachineVersionArn });
    },

    async UpdateStateMachine(m) {
      const r = await stateMachines.update(
        compact({
          stateMachineArn: m.reqStr('stateMachineArn'),
          definition: m.str('definition'),
          roleArn: m.str('roleArn'),
          loggingConfiguration: m.obj<Partial<LoggingConfiguration>>('loggingConfiguration'),
          tracingConfiguration: m.obj<Partial<TracingConfiguration>>('tracingConfiguration'),
          publish: m.bool('publish'),
          versionDescription: m.str('versionDescription'),
          encryptionConfiguration: m.obj<{ type?: string }>('encryptionConfiguration'),
        }),
      );
      return compact({ updateDate: seconds(r.updateDate), revisionId: r.revisionId, stateMachineVersionArn: r.stateMachineVersionArn });
    },

    async DescribeStateMachine(m) {
      const sm: StateMachineVersion = await stateMachines.describe(m.reqStr('stateMachineArn'));
      return compact({
        stateMachineArn: sm.stateMachineArn,
        name: sm.name,
        status: sm.status,
        definition: sm.definition,
        roleArn: sm.roleArn,
        type: sm.type,
        creationDate: seconds(sm.creationDate),
        loggingConfiguration: sm.loggingConfiguration,
        tracingConfiguration: sm.tracingConfiguration,
        revisionId: sm.revisionId,
        description: sm.description,
      });
    },

    async DeleteStateMachine(m) {
      await stateMachines.delete(m.reqStr('stateMachineArn'));
      return {};
    },

    async ListStateMachines(m) {
      const r = await stateMachines.list(compact({ maxResults: m.int('maxResults'), nextToken: m.str('nextToken') }));
      return compact({
        stateMachines: r.stateMachines.map((sm) => ({ stateMachineArn: sm.stateMachineArn, name: sm.name, type: sm.type, creationDate: seconds(sm.creationDate) })),
        nextToken: r.nextToken,
      });
    },

    async ValidateStateMachineDefinition(m) {
      const r = stateMachines.validate(
        compact({ definition: m.reqStr('definition'), type: m.str('type'), severity: m.str('severity'), maxResults: m.int('maxResults') }),
      );
      return { result: r.result, diagnostics: r.diagnostics.map((d) => compact({ severity: d.severity, code: d.code, message: d.message, location: d.location })), truncated: r.truncated };
    },
  } satisfies OperationTable;
}
