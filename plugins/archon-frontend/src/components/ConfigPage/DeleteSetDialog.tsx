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
  deleteOpen: boolean;
  setDeleteOpen: (open: boolean) => void;
  deleteImpact: ConfigChangePreview | undefined;
  busy: string | undefined;
  confirmDelete: () => void;
}) => {
  const { path, deleteOpen, setDeleteOpen, deleteImpact, busy, confirmDelete } =
    props;
  return (
    <Dialog
      open={deleteOpen}
      onClose={() => setDeleteOpen(false)}
      maxWidth="md"
      fullWidth
      aria-labelledby="delete-set-title"
    >
      <DialogTitle id="delete-set-title">Delete the set of {path}?</DialogTitle>
      <DialogContent>
        {deleteImpact ? (
          <ImpactReportView report={deleteImpact} />
        ) : (
          <Progress />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => setDeleteOpen(false)}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={!deleteImpact || busy === 'delete'}
          onClick={confirmDelete}
        >
          {deleteImpact?.startsFailing.length ? 'Delete anyway' : 'Delete set'}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
