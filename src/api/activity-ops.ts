/** CreateActivity, DescribeActivity, DeleteActivity, ListActivities, GetActivityTask. */
import type { Activity } from '../service/activities.js';
import type { Tag } from '../service/tags.js';
import type { OperationTable, SfnServices } from './handler.js';
import { compact, seconds } from './wire.js';

const out = (a: Activity) => ({ activityArn: a.activityArn, name: a.name, creationDate: seconds(a.creationDate) });

export function activityOps({ activities }: SfnServices) {
  if (!activities) return {};
  return {
    async CreateActivity(m) {
      const a = await activities.create(m.reqStr('name'), m.list<Tag>('tags') ?? []);
      return { activityArn: a.activityArn, creationDate: seconds(a.creationDate) };
    },
    async DescribeActivity(m) {
      return out(await activities.describe(m.reqStr('activityArn')));
    },
    async DeleteActivity(m) {
      await activities.delete(m.reqStr('activityArn'));
      return {};
    },
    async ListActivities(m) {
      const r = await activities.list(m.int('maxResults') ?? 0, m.str('nextToken'));
      return compact({ activities: r.activities.map(out), nextToken: r.nextToken });
    },
    async GetActivityTask(m) {
      return compact(await activities.getActivityTask(m.reqStr('activityArn'), m.str('workerName')));
    },
  } satisfies OperationTable;
}
