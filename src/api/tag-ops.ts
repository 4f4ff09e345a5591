/** TagResource, UntagResource, ListTagsForResource: by resource ARN (state machines; activities when they exist). */
import type { Tag } from '../service/tags.js';
import type { OperationTable, SfnServices } from './handler.js';

export function tagOps({ stateMachines }: SfnServices) {
  const tags = stateMachines.tags;
  return {
    async TagResource(m) {
      await tags.tag(m.reqStr('resourceArn'), m.reqList<Tag>('tags'));
      return {};
    },

    async UntagResource(m) {
      await tags.untag(m.reqStr('resourceArn'), m.reqStrList('tagKeys'));
      return {};
    },

    async ListTagsForResource(m) {
      return { tags: await tags.list(m.reqStr('resourceArn')) };
    },
  } satisfies OperationTable;
}
