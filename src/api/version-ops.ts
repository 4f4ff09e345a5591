/**
 * PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion,
 * Create/Describe/Update/Delete/ListStateMachineAlias(es).
 */
import type { RoutingConfigurationItem } from '../service/versions.js';
import type { OperationTable, SfnServices } from './handler.js';
import { compact, seconds } from './wire.js';

export function versionOps({ stateMachines }: SfnServices) {
  const versions = stateMachines.versions;
  return {
    async PublishStateMachineVersion(m) {
      const r = await versions.publish(compact({ stateMachineArn: m.reqStr('stateMachineArn'), revisionId: m.str('revisionId'), description: m.str('description') }));
      return { stateMachineVersionArn: r.stateMachineVersionArn, creationDate: seconds(r.creationDate) };
    },

    async ListStateMachineVersions(m) {
      const r = await versions.listVersions(compact({ stateMachineArn: m.reqStr('stateMachineArn'), maxResults: m.int('maxResults'), nextToken: m.str('nextToken') }));
      return compact({
        stateMachineVersions: r.versions.map((v) => ({ stateMachineVersionArn: v.stateMachineVersionArn, creationDate: seconds(v.creationDate) })),
        nextToken: r.nextToken,
      });
    },

    async DeleteStateMachineVersion(m) {
      await versions.deleteVersion(m.reqStr('stateMachineVersionArn'));
      return {};
    },

    async CreateStateMachineAlias(m) {
      const r = await versions.createAlias(
        compact({ name: m.reqStr('name'), description: m.str('description'), routingConfiguration: m.reqList<RoutingConfigurationItem>('routingConfiguration') }),
      );
      return { stateMachineAliasArn: r.stateMachineAliasArn, creationDate: seconds(r.creationDate) };
    },

    async DescribeStateMachineAlias(m) {
      const a = await versions.describeAlias(m.reqStr('stateMachineAliasArn'));
      return compact({
        stateMachineAliasArn: a.stateMachineAliasArn,
        name: a.name,
        description: a.description,
        routingConfiguration: a.routingConfiguration,
        creationDate: seconds(a.creationDate),
        updateDate: seconds(a.updateDate),
      });
    },

    async UpdateStateMachineAlias(m) {
      const r = await versions.updateAlias(
        compact({
          stateMachineAliasArn: m.reqStr('stateMachineAliasArn'),
          description: m.str('description'),
          routingConfiguration: m.list<RoutingConfigurationItem>('routingConfiguration'),
        }),
      );
      return { updateDate: seconds(r.updateDate) };
    },

    async DeleteStateMachineAlias(m) {
      await versions.deleteAlias(m.reqStr('stateMachineAliasArn'));
      return {};
    },

    async ListStateMachineAliases(m) {
      const r = await versions.listAliases(compact({ stateMachineArn: m.reqStr('stateMachineArn'), maxResults: m.int('maxResults'), nextToken: m.str('nextToken') }));
      return compact({
        stateMachineAliases: r.aliases.map((a) => ({ stateMachineAliasArn: a.stateMachineAliasArn, creationDate: seconds(a.creationDate) })),
        nextToken: r.nextToken,
      });
    },
  } satisfies OperationTable;
}
