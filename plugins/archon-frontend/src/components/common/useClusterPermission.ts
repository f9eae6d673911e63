import {
  clusterResourceRef,
  type archonConnectConnectorManagePermission,
} from '@archon/plugin-archon-common';
import { useApi } from '@backstage/frontend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import useAsync from 'react-use/esm/useAsync';

/** A permission archon decides per cluster (resource type `archon-cluster`). */
type ClusterPermission = typeof archonConnectConnectorManagePermission;

export interface ClusterPermissionAnswer {
  loading: boolean;
  /** The clusters (of those asked about) where the permission is granted. */
  allowed: ReadonlySet<string>;
  /** The clusters where it is not (empty while loading). */
  denied: string[];
}

/**
 * One cluster-scoped permission decided for several clusters at once, for a
 * page that lists several clusters' objects (`usePermission` takes one
 * resource per hook). The backend decides each as `<system>:<cluster>`, so a
 * policy may allow e.g. managing connectors on `local` and not on `dr`, or
 * deploying to the Marathon instance `local` and not to `dr` (#20).
 */
export function useClusterPermission(
  permission: ClusterPermission,
  system: 'kafka' | 'connect' | 'marathon' | 'zookeeper',
  clusters: string[],
): ClusterPermissionAnswer {
  const permissionApi = useApi(permissionApiRef);
  const key = clusters.join('\n');
  const decisions = useAsync(async () => {
    const names = key ? key.split('\n') : [];
    const answers = await Promise.all(
      names.map(cluster =>
        permissionApi.authorize({
          permission,
          resourceRef: clusterResourceRef(system, cluster),
        }),
      ),
    );
    return names.map((cluster, i) => ({
      cluster,
      allowed: answers[i].result === AuthorizeResult.ALLOW,
    }));
  }, [permissionApi, permission, system, key]);
  const answered = decisions.value ?? [];
  return {
    loading: decisions.loading,
    allowed: new Set(answered.filter(d => d.allowed).map(d => d.cluster)),
    denied: answered.filter(d => !d.allowed).map(d => d.cluster),
  };
}
