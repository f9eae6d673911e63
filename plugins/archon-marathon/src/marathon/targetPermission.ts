import {
  archonMarathonTargetManagePermission,
  clusterResourceRef,
} from '@archon/plugin-archon-common';
import type { ArchonAuthorizer } from '@archon/plugin-archon-node';
import type { Request } from 'express';

/**
 * 403 unless the caller may change what runs on the Marathon instance:
 * archon.marathon.target.manage on `marathon:<instance>` (#20), decided
 * beside the app's archon.app.* permission on its path (both must allow).
 * Called inside the change's audit event, so a refusal is recorded as the
 * caller's, and before anything is sent to Marathon.
 */
export async function authorizeTarget(
  authorizer: ArchonAuthorizer,
  req: Request,
  instance: string,
): Promise<void> {
  await authorizer.authorize(
    req,
    archonMarathonTargetManagePermission,
    clusterResourceRef('marathon', instance),
  );
}
