import { Typography } from '@material-ui/core';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  archonAppDestroyPermission,
  type MarathonAppSummary,
  type TypedResponse,
} from '@archon/plugin-archon-common';
import { DestroyApp } from '../EntityDeployContent/DestroyApp';

/**
 * The Marathon page's Destroy of one app row: the Deploy tab's typed-name
 * confirmation and the same `POST /apps/destroy`. The API destroys by
 * configuration path, so an app archon did not deploy has no Destroy here.
 */
export const DestroyRowAction = (props: {
  app: MarathonAppSummary;
  instance: string;
  busy: boolean;
  start: (
    title: string,
    request: () => Promise<TypedResponse<unknown>>,
  ) => void;
}) => {
  const { app, instance } = props;
  // Asked per row: the permission is on the app's configuration path.
  const allowed = usePermission({
    permission: archonAppDestroyPermission,
    resourceRef: app.configPath ?? '',
  });
  if (!app.configPath) {
    return (
      <Typography variant="caption" color="textSecondary">
        not deployed by archon
      </Typography>
    );
  }
  return (
    <DestroyApp
      configPath={app.configPath}
      instance={instance}
      appId={app.id}
      disabled={props.busy || !allowed.allowed}
      start={props.start}
    />
  );
};
