import { useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Radio,
  RadioGroup,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ZooKeeperExport,
  ZooKeeperImportPlan,
} from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';

/** Lines of each kind shown in a plan before "… and N more". */
const PLAN_LINES = 50;

const PlanList = (props: { title: string; paths: string[] }) =>
  props.paths.length === 0 ? null : (
    <Box mt={1}>
      <Typography variant="subtitle2" component="h4">
        {props.title} ({props.paths.length})
      </Typography>
      <ul
        aria-label={props.title}
        style={{ margin: 0, fontFamily: 'monospace', fontSize: '0.85em' }}
      >
        {props.paths.slice(0, PLAN_LINES).map(p => (
          <li key={p}>{p}</li>
        ))}
        {props.paths.length > PLAN_LINES && (
          <li>… and {props.paths.length - PLAN_LINES} more</li>
        )}
      </ul>
    </Box>
  );

/** What an import does: creates, updates, deletes, skips. */
export const ImportPlanView = ({ plan }: { plan: ZooKeeperImportPlan }) => (
  <Box data-testid="import-plan">
    <Alert severity={plan.applied ? 'success' : 'info'}>
      {plan.applied ? 'Applied' : 'Dry run'} ({plan.mode}) at {plan.path}:{' '}
      {plan.creates.length} to create, {plan.updates.length} to update,{' '}
      {plan.deletes.length} to delete, {plan.unchanged} unchanged
      {plan.skipped.length ? `, ${plan.skipped.length} skipped` : ''}.
    </Alert>
    <PlanList
      title="Creates"
      paths={plan.creates.map(c => `${c.path} (${c.size} bytes)`)}
    />
    <PlanList
      title="Updates"
      paths={plan.updates.map(
        u => `${u.path} (${u.fromSize} → ${u.toSize} bytes)`,
      )}
    />
    <PlanList title="Deletes" paths={plan.deletes.map(d => d.path)} />
    <PlanList
      title="Skipped"
      paths={plan.skipped.map(s => `${s.path}: ${s.reason}`)}
    />
  </Box>
);

/** Downloads the subtree at a znode as an archon export document. */
export const ExportButton = (props: { ensemble: string; path: string }) => {
  const api = useApi(archonApiRef);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{
    severity: 'success' | 'error';
    text: string;
  }>();
  const exportTree = async () => {
    setBusy(true);
    setNotice(undefined);
    try {
      const doc = await unwrap(
        api.zooKeeperExportSubtree({
          path: { ensemble: props.ensemble, znodePath: props.path },
          query: {},
        }),
      );
      const blob = new Blob([JSON.stringify(doc, null, 2)], {
        type: 'application/json',
      });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `zookeeper-${props.ensemble}${
        props.path === '/' ? '-root' : props.path.replace(/\//g, '_')
      }.json`;
      a.click();
      URL.revokeObjectURL(url);
      setNotice({
        severity: 'success',
        text: `Exported ${doc.nodeCount ?? '?'} znodes under ${props.path}.`,
      });
    } catch (e) {
      setNotice({
        severity: 'error',
        text: `Export failed: ${(e as Error).message}`,
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button variant="outlined" disabled={busy} onClick={exportTree}>
        Export subtree
      </Button>
      {notice && <Alert severity={notice.severity}>{notice.text}</Alert>}
    </>
  );
};

/** Imports an export document at a znode: a dry run first, then applying exactly that plan. */
export const ImportDialog = (props: {
  ensemble: string;
  path: string;
  open: boolean;
  canWrite: boolean;
  onClose: () => void;
  onApplied: () => void;
}) => {
  const api = useApi(archonApiRef);
  const [text, setText] = useState('');
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [plan, setPlan] = useState<ZooKeeperImportPlan>();
  const [problem, setProblem] = useState<string>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const run = async (dryRun: boolean) => {
    let snapshot: ZooKeeperExport;
    try {
      snapshot = JSON.parse(text);
    } catch (e) {
      setProblem(`Not valid JSON: ${(e as Error).message}`);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const result = await unwrap(
        api.zooKeeperImportSubtree({
          path: { ensemble: props.ensemble, znodePath: props.path },
          query: {},
          body: {
            snapshot,
            mode,
            dryRun,
            ...(dryRun ? {} : { expectedPlanHash: plan?.planHash }),
          },
        }),
      );
      setPlan(result);
      if (result.applied) props.onApplied();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setPlan(undefined);
    setProblem(undefined);
    setError(undefined);
  };

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="zk-import-title"
    >
      <DialogTitle id="zk-import-title">Import into {props.path}</DialogTitle>
      <DialogContent>
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <Button variant="outlined" component="label">
            Choose file…
            <input
              hidden
              type="file"
              accept="application/json,.json"
              aria-label="Export document file"
              onChange={async e => {
                const file = e.target.files?.[0];
                if (file) {
                  setText(await file.text());
                  reset();
                }
              }}
            />
          </Button>
          <Typography variant="body2">
            or paste an export document below.
          </Typography>
        </Box>
        <TextField
          id="zk-import-document"
          label="Export document (JSON)"
          multiline
          minRows={6}
          maxRows={14}
          fullWidth
          margin="normal"
          variant="outlined"
          value={text}
          onChange={e => {
            setText(e.target.value);
            reset();
          }}
        />
        <RadioGroup
          row
          aria-label="Import mode"
          value={mode}
          onChange={e => {
            setMode(e.target.value as 'merge' | 'replace');
            reset();
          }}
        >
          <FormControlLabel
            value="merge"
            control={<Radio />}
            label="Merge (create and update)"
          />
          <FormControlLabel
            value="replace"
            control={<Radio />}
            label="Replace (also delete what the document lacks)"
          />
        </RadioGroup>
        {problem && <Alert severity="warning">{problem}</Alert>}
        {error && <ResponseErrorPanel error={error} />}
        {plan && <ImportPlanView plan={plan} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
        <Button
          variant="outlined"
          disabled={busy || !text.trim()}
          onClick={() => run(true)}
        >
          Preview
        </Button>
        <Button
          variant="contained"
          color="primary"
          disabled={busy || !props.canWrite || !plan || plan.applied}
          onClick={() => run(false)}
        >
          Apply this plan
        </Button>
      </DialogActions>
    </Dialog>
  );
};
