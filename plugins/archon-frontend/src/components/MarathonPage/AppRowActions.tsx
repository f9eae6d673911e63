import { useState } from 'react';
import {
  IconButton,
  ListItemText,
  Menu,
  MenuItem,
  Tooltip,
  Typography,
} from '@material-ui/core';
import MoreVertIcon from '@material-ui/icons/MoreVert';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  archonAppDestroyPermission,
  archonAppScalePermission,
  type MarathonAppSummary,
  type TypedResponse,
} from '@archon/plugin-archon-common';
import {
  AppOperationDialog,
  type AppOperation,
} from '../EntityDeployContent/AppOperationDialog';
import { DestroyAppDialog } from '../EntityDeployContent/DestroyApp';

type Action = AppOperation | 'destroy';

/** Why archon acts on an app only through its configuration path. */
export const NOT_ARCHON_REASON =
  "archon scales, restarts, suspends and destroys the apps it deployed, by their configuration path (the ARCHON_CONFIG_PATH label); this app has none. Use Marathon's own API or UI for it.";

/** The row's cell: the actions button, or why archon has no actions for the app. */
export const AppActionsButton = (props: {
  app: MarathonAppSummary;
  onOpen: (anchor: HTMLElement, app: MarathonAppSummary) => void;
}) =>
  props.app.configPath ? (
    <IconButton
      size="small"
      aria-label={`Actions for ${props.app.id}`}
      aria-haspopup="true"
      onClick={e => props.onOpen(e.currentTarget, props.app)}
    >
      <MoreVertIcon fontSize="small" />
    </IconButton>
  ) : (
    <Tooltip title={NOT_ARCHON_REASON}>
      <Typography variant="caption" color="textSecondary" noWrap>
        not deployed by archon
      </Typography>
    </Tooltip>
  );

/**
 * The Marathon page's actions on one app: scale, restart, suspend and
 * destroy with the Deploy tab's confirmations and requests (archon's
 * `/apps/*`, audited and permission-checked there). Each item is disabled
 * with its reason when the user may not do it or it cannot apply. Held by
 * the table rather than the row, so a list re-read (a finished action, a
 * refresh) does not close an open menu or confirmation.
 */
export const AppActions = (props: {
  /** The app whose menu is open, with the button it opened from. */
  app: MarathonAppSummary & { configPath: string };
  anchor?: HTMLElement;
  instance: string;
  /** Another action of the page is in flight. */
  busy: boolean;
  start: (
    title: string,
    request: () => Promise<TypedResponse<unknown>>,
  ) => void;
  onClose: () => void;
}) => {
  const { app, instance } = props;
  const configPath = app.configPath;
  const [asking, setAsking] = useState<Action>();
  // Asked per app: the permissions are on its configuration path.
  const canScale = usePermission({
    permission: archonAppScalePermission,
    resourceRef: configPath,
  });
  const canDestroy = usePermission({
    permission: archonAppDestroyPermission,
    resourceRef: configPath,
  });

  /** Why an action is unavailable, or undefined when it may run. */
  const reason = (action: Action): string | undefined => {
    if (props.busy) return 'Another action is in progress';
    if (action === 'destroy') {
      return canDestroy.allowed
        ? undefined
        : 'You may not destroy it (archon.app.destroy)';
    }
    if (!canScale.allowed) return `You may not ${action} it (archon.app.scale)`;
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
          start={props.start}
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
          start={props.start}
          onClose={props.onClose}
        />
      )}
    </>
  );
};
