import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Box,
  Button,
  Chip,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import TreeView from '@material-ui/lab/TreeView';
import TreeItem from '@material-ui/lab/TreeItem';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ConfigTreeNode } from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { levelsOf, nameOf, normalizePath } from '../../lib/configPaths';
import { unwrap } from '../../lib/errors';

type NodeState =
  | { status: 'loading' }
  | { status: 'error'; error: Error }
  | { status: 'loaded'; children: ConfigTreeNode[] };

const useStyles = makeStyles(theme => ({
  label: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.25, 0),
  },
  name: { fontFamily: 'monospace' },
  open: {
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'flex-start',
    marginBottom: theme.spacing(2),
  },
}));

const NodeLabel = ({ node }: { node: ConfigTreeNode }) => {
  const classes = useStyles();
  return (
    <span className={classes.label}>
      <span className={classes.name}>{nameOf(node.path)}</span>
      {node.hasSet ? (
        <Chip
          size="small"
          label={`${node.keyCount} key${node.keyCount === 1 ? '' : 's'}`}
        />
      ) : (
        <Typography variant="caption" color="textSecondary">
          no set
        </Typography>
      )}
      {node.failing && (
        <Chip
          size="small"
          color="secondary"
          label="failing"
          title={`Does not resolve: ${node.failing.reason}`}
          aria-label={`${node.path} fails to resolve: ${node.failing.keys.join(
            ', ',
          )}`}
        />
      )}
      {node.open && (
        <Chip
          size="small"
          variant="outlined"
          label="open"
          title={`A template for the levels below: ${node.open.reason}`}
          aria-label={`${node.path} leaves ${node.open.keys.join(
            ', ',
          )} for the levels below`}
        />
      )}
    </span>
  );
};

/**
 * The configuration hierarchy, loaded lazily: one `/config/tree?depth=1`
 * request per expanded level. Selecting a level calls `onSelect`; a path can
 * also be typed to open (or create) any level.
 */
export const ConfigTree = (props: {
  selected?: string;
  onSelect: (path: string) => void;
  /** Changes reload the loaded levels (e.g. after a save). */
  refreshKey?: number;
}) => {
  const { selected, onSelect, refreshKey } = props;
  const classes = useStyles();
  const api = useApi(archonApiRef);
  const [nodes, setNodes] = useState<Record<string, NodeState>>({});
  const [expanded, setExpanded] = useState<string[]>(() =>
    selected ? levelsOf(selected).slice(0, -1) : [],
  );
  const [typed, setTyped] = useState('');
  const expandedRef = useRef(expanded);
  expandedRef.current = expanded;

  const load = useCallback(
    async (path: string) => {
      setNodes(n => ({
        ...n,
        [path]: n[path]?.status === 'loaded' ? n[path] : { status: 'loading' },
      }));
      try {
        const node = await unwrap(
          api.getConfigTree({ query: { prefix: path, depth: 1 } }),
        );
        setNodes(n => ({
          ...n,
          [path]: { status: 'loaded', children: node.children ?? [] },
        }));
      } catch (error) {
        setNodes(n => ({
          ...n,
          [path]: { status: 'error', error: error as Error },
        }));
      }
    },
    [api],
  );

  // The root and every expanded level, at first and after each change.
  useEffect(() => {
    for (const path of ['/', ...expandedRef.current]) load(path);
  }, [load, refreshKey]);

  // A deep link (or a typed path) opens the levels above the selection.
  useEffect(() => {
    if (!selected) return;
    const above = levelsOf(selected).slice(0, -1);
    const missing = above.filter(p => !expandedRef.current.includes(p));
    if (missing.length === 0) return;
    setExpanded(e => [...e, ...missing]);
    missing.forEach(load);
  }, [selected, load]);

  const onToggle = (_: unknown, ids: string[]) => {
    const opened = ids.filter(id => !expanded.includes(id));
    setExpanded(ids);
    for (const id of opened) {
      if (!id.includes('#') && nodes[id]?.status !== 'loaded') load(id);
    }
  };

  const renderChildren = (
    parent: string,
  ): JSX.Element | JSX.Element[] | null => {
    const state = nodes[parent];
    if (!state || state.status === 'loading') {
      return <TreeItem nodeId={`${parent}#loading`} label="Loading…" />;
    }
    if (state.status === 'error') {
      return (
        <TreeItem
          nodeId={`${parent}#error`}
          label={
            <Typography variant="body2" color="error">
              Could not load: {state.error.message}
            </Typography>
          }
          onClick={() => load(parent)}
        />
      );
    }
    return state.children.map(child => (
      <TreeItem
        key={child.path}
        nodeId={child.path}
        label={<NodeLabel node={child} />}
      >
        {child.childCount > 0 ? renderChildren(child.path) : null}
      </TreeItem>
    ));
  };

  const root = nodes['/'];
  const openTyped = () => {
    if (typed.trim()) onSelect(normalizePath(typed));
  };

  return (
    <Box>
      <Box className={classes.open}>
        <TextField
          style={{ flex: 1 }}
          id="config-tree-level-path"
          label="Level path"
          placeholder="/team/app"
          size="small"
          variant="outlined"
          value={typed}
          helperText="Open any level, or a new one to create it"
          onChange={e => setTyped(e.target.value)}
          onKeyDown={e => {
            if (e.key === 'Enter') openTyped();
          }}
        />
        <Button variant="outlined" onClick={openTyped} disabled={!typed.trim()}>
          Open
        </Button>
      </Box>
      {(!root || root.status === 'loading') && <Progress />}
      {root?.status === 'error' && (
        <Box>
          <ResponseErrorPanel error={root.error} />
          <Button onClick={() => load('/')}>Retry</Button>
        </Box>
      )}
      {root?.status === 'loaded' && root.children.length === 0 && (
        <Typography variant="body2">
          There are no configuration levels yet. Type a path above to create
          one.
        </Typography>
      )}
      {root?.status === 'loaded' && root.children.length > 0 && (
        <TreeView
          aria-label="Configuration levels"
          defaultCollapseIcon={<ExpandMoreIcon />}
          defaultExpandIcon={<ChevronRightIcon />}
          expanded={expanded}
          selected={selected ?? ''}
          onNodeToggle={onToggle}
          onNodeSelect={(_: unknown, id: string) => {
            if (!id.includes('#')) onSelect(id);
          }}
        >
          {renderChildren('/')}
        </TreeView>
      )}
    </Box>
  );
};
