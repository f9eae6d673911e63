import { Box, MenuItem, TextField } from '@material-ui/core';
import { useAppSearchParams } from '@backstage/frontend-plugin-api';

/** The picker's value for "every configured cluster" (`?cluster=all`). */
export const ALL_CLUSTERS = 'all';

/**
 * The cluster a page shows, kept in the URL (`?cluster=<name>`, or
 * `?cluster=all` where the page offers every cluster at once) so links,
 * reloads and the Systems page's "Manage" links land on it. A name that is
 * not configured falls back to the default: the first configured cluster,
 * or all of them when `all` is the default. `legacyParam` is an older
 * parameter links may still carry (the ZooKeeper page's `?ensemble=`).
 */
export function useClusterParam(
  names: readonly string[],
  options: { all?: 'offered' | 'default'; legacyParam?: string } = {},
) {
  const [params, setParams] = useAppSearchParams();
  const asked =
    params.get('cluster') ??
    (options.legacyParam ? params.get(options.legacyParam) : null);
  const allowed = (v: string | null): v is string =>
    !!v && (names.includes(v) || (!!options.all && v === ALL_CLUSTERS));
  const fallback =
    options.all === 'default' && names.length > 1 ? ALL_CLUSTERS : names[0];
  const cluster = allowed(asked) ? asked : fallback;
  /** Selects a cluster; `reset` names the parameters that belong to the previous cluster's view. */
  const select = (next: string, reset: readonly string[] = []) => {
    const copy = new URLSearchParams(params);
    copy.set('cluster', next);
    if (options.legacyParam) copy.delete(options.legacyParam);
    for (const p of reset) copy.delete(p);
    setParams(copy);
  };
  return {
    /** The chosen cluster's name, `all`, or undefined while none is configured. */
    cluster: cluster as string | undefined,
    /** The names a view shows: the chosen one, or every one for `all`. */
    shown: shownOf(cluster, names),
    select,
  };
}

function shownOf(cluster: string | undefined, names: readonly string[]) {
  if (cluster === ALL_CLUSTERS) return [...names];
  return cluster ? [cluster] : [];
}

/**
 * One picker for the page's cluster (Kafka cluster, Connect cluster,
 * ZooKeeper ensemble, Marathon instance), fed by the configured ones; shown
 * only when there is a choice. `allLabel` offers "all clusters".
 */
export const ClusterPicker = (props: {
  /** What is picked, e.g. "Kafka cluster". */
  label: string;
  names: readonly string[];
  value: string;
  onChange: (name: string) => void;
  allLabel?: string;
  /** Space below it (theme units): 0 in a row of filters. */
  mb?: number;
}) => {
  const { label, names, value, onChange, allLabel, mb = 2 } = props;
  if (names.length < 2) return null;
  return (
    <Box mb={mb}>
      <TextField
        id="cluster-picker"
        select
        label={label}
        size="small"
        variant="outlined"
        value={value}
        onChange={e => onChange(e.target.value)}
        style={{ minWidth: 200 }}
      >
        {allLabel && (
          <MenuItem key={ALL_CLUSTERS} value={ALL_CLUSTERS}>
            {allLabel}
          </MenuItem>
        )}
        {names.map(name => (
          <MenuItem key={name} value={name}>
            {name}
          </MenuItem>
        ))}
      </TextField>
    </Box>
  );
};
