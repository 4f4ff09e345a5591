/** ListMapRuns, DescribeMapRun, UpdateMapRun: the Distributed Map runs of an execution. */
import type { MapRunService } from '../service/map-runs.js';
import { ServiceError } from '../service/errors.js';
import type { OperationTable } from './handler.js';
import { compact, seconds } from './wire.js';

export function mapRunOps({ mapRuns }: { mapRuns?: MapRunService | undefined }) {
  const service = (): MapRunService => {
    if (!mapRuns) throw new ServiceError('UnsupportedOperation', 'Map runs are not served by this Stepwise API.');
    return mapRuns;
  };
  return {
    async ListMapRuns(m) {
      const r = await service().list(m.reqStr('executionArn'), m.int('maxResults'), m.str('nextToken'));
      return compact({
        mapRuns: r.mapRuns.map((d) =>
          compact({
            executionArn: d.executionArn,
            mapRunArn: d.mapRunArn,
            stateMachineArn: d.stateMachineArn,
            startDate: seconds(d.summary.startDate),
            stopDate: d.summary.stopDate !== undefined ? seconds(d.summary.stopDate) : undefined,
          }),
        ),
        nextToken: r.nextToken,
      });
    },

    async DescribeMapRun(m) {
      const d = await service().describe(m.reqStr('mapRunArn'));
      const s = d.summary;
      return compact({
        mapRunArn: d.mapRunArn,
        executionArn: d.executionArn,
        status: s.status,
        startDate: seconds(s.startDate),
        stopDate: s.stopDate !== undefined ? seconds(s.stopDate) : undefined,
        maxConcurrency: s.maxConcurrency,
        toleratedFailurePercentage: s.toleratedFailurePercentage,
        toleratedFailureCount: s.toleratedFailureCount,
        // One child workflow per item (per batch with an ItemBatcher).
        itemCounts: { ...d.counts },
        executionCounts: { ...d.counts },
        redriveCount: s.redriveCount,
        redriveDate: s.redriveDate !== undefined ? seconds(s.redriveDate) : undefined,
      });
    },

    async UpdateMapRun(m) {
      await service().update(
        m.reqStr('mapRunArn'),
        compact({ maxConcurrency: m.int('maxConcurrency'), toleratedFailurePercentage: m.num('toleratedFailurePercentage'), toleratedFailureCount: m.int('toleratedFailureCount') }),
      );
      return {};
    },
  } satisfies OperationTable;
}
