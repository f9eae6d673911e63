import {
  Box,
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormLabel,
  MenuItem,
  TextField,
  makeStyles,
} from '@material-ui/core';
import type { GraphNodeKind } from '@archon/plugin-archon-common';
import { NODE_KIND_LABELS } from './graphModel';

export type CollapseMode = 'auto' | 'none' | 'group' | 'config-prefix';

export interface PipelineFilterValues {
  search: string;
  cluster: string;
  kinds: GraphNodeKind[];
  driftOnly: boolean;
  showStructure: boolean;
  collapse: CollapseMode;
}

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    alignItems: 'center',
    marginBottom: theme.spacing(2),
  },
  field: { minWidth: 180 },
}));

/** Search, cluster, node kinds, drift only, structure and collapsing. */
export const PipelineFilters = (props: {
  value: PipelineFilterValues;
  clusters: string[];
  onChange: (value: PipelineFilterValues) => void;
}) => {
  const classes = useStyles();
  const { value, onChange } = props;
  const set = (patch: Partial<PipelineFilterValues>) =>
    onChange({ ...value, ...patch });
  const toggleKind = (kind: GraphNodeKind, on: boolean) =>
    set({
      kinds: on ? [...value.kinds, kind] : value.kinds.filter(k => k !== kind),
    });
  return (
    <Box className={classes.row}>
      <TextField
        id="pipelines-search"
        className={classes.field}
        label="Search nodes"
        placeholder="name or id"
        value={value.search}
        onChange={e => set({ search: e.target.value })}
      />
      <TextField
        select
        id="pipelines-cluster"
        className={classes.field}
        label="Cluster"
        value={value.cluster}
        onChange={e => set({ cluster: e.target.value })}
      >
        <MenuItem value="">All clusters</MenuItem>
        {props.clusters.map(c => (
          <MenuItem key={c} value={c}>
            {c}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        id="pipelines-collapse"
        className={classes.field}
        label="Collapse"
        value={value.collapse}
        onChange={e => set({ collapse: e.target.value as CollapseMode })}
      >
        <MenuItem value="auto">When large</MenuItem>
        <MenuItem value="none">Never</MenuItem>
        <MenuItem value="group">Apps into their group</MenuItem>
        <MenuItem value="config-prefix">By configuration prefix</MenuItem>
      </TextField>
      <FormControl component="fieldset">
        <FormLabel component="legend">Node kinds</FormLabel>
        <FormGroup row>
          {(Object.keys(NODE_KIND_LABELS) as GraphNodeKind[]).map(kind => (
            <FormControlLabel
              key={kind}
              label={NODE_KIND_LABELS[kind]}
              control={
                <Checkbox
                  size="small"
                  checked={value.kinds.includes(kind)}
                  onChange={e => toggleKind(kind, e.target.checked)}
                />
              }
            />
          ))}
        </FormGroup>
      </FormControl>
      <FormControlLabel
        label="Drift only"
        control={
          <Checkbox
            checked={value.driftOnly}
            onChange={e => set({ driftOnly: e.target.checked })}
          />
        }
      />
      <FormControlLabel
        label="Show structural edges (runs-on, configured-by)"
        control={
          <Checkbox
            checked={value.showStructure}
            onChange={e => set({ showStructure: e.target.checked })}
          />
        }
      />
    </Box>
  );
};
