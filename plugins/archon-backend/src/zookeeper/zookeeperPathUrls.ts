import type { RequestHandler } from 'express';
import { multiSegmentPathUrls } from '../config/configPathUrls';

/**
 * `/zookeeper/{ensemble}/{znodes|children|acl|export|import}/a/b/c` (readable)
 * → `.../a%2Fb%2Fc` (the spec's one segment); nothing after the action → the root.
 */
export function zookeeperPathUrls(): RequestHandler {
  return multiSegmentPathUrls([
    {
      pattern:
        /^\/(zookeeper\/[^/?]+\/(?:znodes|children|acl|export|import))(?:\/(.*?))?(\?.*)?$/,
      empty: '%2F',
    },
  ]);
}
