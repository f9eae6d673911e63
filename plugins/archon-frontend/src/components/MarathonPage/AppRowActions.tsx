import { useState } from 'react';
import { IconButton, ListItemText, Menu, MenuItem } from '@material-ui/core';
import MoreVertIcon from '@material-ui/icons/MoreVert';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  archonAppDestroyPermission,
  archonAppScalePermission,
  archonMarathonTargetManagePermission,
  clusterResourceRef,
  type MarathonAppSummary,
  type TypedResponse,
} from '@archon/plugin-archon-common';
import {
  AppOperationDialog,
  type AppOperation,
} from '../EntityDeployContent/AppOperationDialog';
import { DestroyAppDialog } from '../EntityDeployContent/DestroyApp';

type Action = AppOperation | 'destroy';

const GERUNDS: Record<Action, string> = {
  scale: 'Scaling',
  restart: 'Restarting',
  suspend: 'Suspending',
  destroy: 'Destroying',
};

/** The row's cell: the button that opens the app's actions (every app has them). */
export const AppActionsButton = (props: {
  app: MarathonAppSummary;
  onOpen: (anchor: HTMLElement, app: MarathonAppSummary) => void;
}) => (
  <IconButton
    size="small"
    aria-label={`Actions for ${props.app.id}`}
    aria-haspopup="true"
    onClick={e => props.onOpen(e.currentTarget, props.app)}
  >
    <MoreVertIcon fontSize="small" />
  </IconButton>
);

type Start = (
  title: string,
  request: () => Promise<TypedResponse<unknown>>,
) => void;

/**
 * The Marathon page's actions on one app: scale, restart, suspend and
 * destroy with the Deploy tab's confirmations. An app archon deployed goes
 * through archon's `/apps/*` by its configuration path (releases recorded,
 * followed as a deploy flow: `start`); any other app through
 * `/marathon/{instance}/apps/{appId}/*` by its id (`startMarathon`). Both
 * are audited and permission-checked by archon. Each item is disabled with
 * its reason when the user may not do it or it cannot apply. Held by the
 * table rather than the row, so a list re-read (a finished action, a
 * refresh) does not close an open menu or confirmation.
 */
export const AppActions = (props: {
  /** The app whose menu is open, with the button it opened from. */
  app: MarathonAppSummary;
  anchor?: HTMLElement;
  instance: string;
  /** Another action of the page is in flight. */
  busy: boolean;
  start: Start;
  startMarathon: Start;
  onClose: () => void;
}) => {
  const { app, instance } = props;
  const configPath = app.configPath;
  const [asking, setAsking] = useState<Action>();
  // Asked per app: on its configuration path, or its app id for an app
  // archon did not deploy (what the server checks).
  const resourceRef = configPath ?? app.id;
  const canScale = usePermission({
    permission: archonAppScalePermission,
    resourceRef,
  });
  const canDestroy = usePermission({
    permission: archonAppDestroyPermission,
    resourceRef,
  });
  // Every action also needs the instance's permission (#20); one instance per menu.
  const onTarget = usePermission({
    permission: archonMarathonTargetManagePermission,
    resourceRef: clusterResourceRef('marathon', instance),
  });
  const start = configPath ? props.start : props.startMarathon;

  /** Why an action is unavailable, or undefined when it may run. */
  const reason = (action: Action): string | undefined => {
    if (props.busy) return 'Another action is in progress';
    if (action === 'destroy' && !canDestroy.allowed)
      return 'You may not destroy it (archon.app.destroy)';
    if (action !== 'destroy' && !canScale.allowed)
      return `You may not ${action} it (archon.app.scale)`;
    if (!onTarget.allowed)
      return `${GERUNDS[action]} on ${instance} needs archon.marathon.target.manage there`;
    if (action === 'suspend' && app.instances === 0)
      return 'Already at 0 instances';
    return undefined;
  };
  const items: Array<{ action: Action; label: string }> = [
    { action: 'scale', label: 'Scale…' },
    { action: 'restart', label: 'Restart…' },
    { action: 'suspend', label: 'Suspend…' },
    { action: 'destroy', label: 'Destroy…' },
  ];

  return (
    <>
      <Menu anchorEl={props.anchor} open={!asking} onClose={props.onClose}>
        {items.map(({ action, label }) => {
          const why = reason(action);
          return (
            <MenuItem
              key={action}
              disabled={!!why}
              onClick={() => setAsking(action)}
            >
              <ListItemText primary={label} secondary={why} />
            </MenuItem>
          );
        })}
      </Menu>
      {asking === 'destroy' && (
        <DestroyAppDialog
          configPath={configPath}
          instance={instance}
          appId={app.id}
          start={start}
          onClose={props.onClose}
        />
      )}
      {asking && asking !== 'destroy' && (
        <AppOperationDialog
          operation={asking}
          configPath={configPath}
          instance={instance}
          appId={app.id}
          current={app.instances}
          start={start}
          onClose={props.onClose}
        />
      )}
    </>
  );
};
