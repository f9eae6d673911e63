import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
} from '@material-ui/core';
import { Progress } from '@backstage/core-components';
import type { ConfigChangePreview } from '@archon/plugin-archon-common';
import { ImpactReportView } from './ImpactReport';

/** Asks before deleting a level's set, showing what the deletion changes below it. */
export const DeleteSetDialog = (props: {
  path: string;
  open: boolean;
  impact: ConfigChangePreview | undefined;
  deleting: boolean;
  onClose: () => void;
  onConfirm: () => void;
}) => {
  const { path, open, impact, deleting, onClose, onConfirm } = props;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="delete-set-title"
    >
      <DialogTitle id="delete-set-title">Delete the set of {path}?</DialogTitle>
      <DialogContent>
        {impact ? <ImpactReportView report={impact} /> : <Progress />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={!impact || deleting}
          onClick={onConfirm}
        >
          {impact?.startsFailing.length ? 'Delete anyway' : 'Delete set'}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
