import { useCallback, useEffect, useRef, useState } from 'react';
import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import TreeView from '@material-ui/lab/TreeView';
import TreeItem from '@material-ui/lab/TreeItem';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ZooKeeperChildItem } from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { znodeAncestors } from '../../lib/znodes';

/** Children per request; more come with "Load more". */
export const PAGE_SIZE = 100;

type NodeState =
  | { status: 'loading' }
  | { status: 'error'; error: Error }
  | {
      status: 'loaded';
      items: ZooKeeperChildItem[];
      total: number;
      nextCursor?: string;
      more?: boolean;
    };

const useStyles = makeStyles(theme => ({
  label: {
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
    padding: theme.spacing(0.25, 0),
  },
  name: { fontFamily: 'monospace' },
}));

/**
 * The znodes of an ensemble, loaded lazily: one page of children per
 * expanded znode, "Load more" for the next page.
 */
export const ZnodeTree = (props: {
  ensemble: string;
  selected: string;
  onSelect: (path: string) => void;
  refreshKey: number;
}) => {
  const { ensemble, selected, onSelect } = props;
  const classes = useStyles();
  const api = useApi(archonApiRef);
  const [nodes, setNodes] = useState<Record<string, NodeState>>({});
  const [expanded, setExpanded] = useState<string[]>(() =>
    znodeAncestors(selected),
  );
  const expandedRef = useRef(expanded);
  expandedRef.current = expanded;

  const load = useCallback(
    async (path: string, cursor?: string) => {
      setNodes(n => {
        const prev = n[path];
        if (cursor && prev?.status === 'loaded')
          return { ...n, [path]: { ...prev, more: true } };
        return { ...n, [path]: { status: 'loading' } };
      });
      try {
        const page = await unwrap(
          api.zooKeeperListChildren({
            path: { ensemble, znodePath: path },
            query: { limit: PAGE_SIZE, cursor },
          }),
        );
        setNodes(n => {
          const prev = n[path];
          const before = cursor && prev?.status === 'loaded' ? prev.items : [];
          return {
            ...n,
            [path]: {
              status: 'loaded',
              items: [...before, ...page.items],
              total: page.total,
              nextCursor: page.nextCursor,
            },
          };
        });
      } catch (error) {
        setNodes(n => ({
          ...n,
          [path]: { status: 'error', error: error as Error },
        }));
      }
    },
    [api, ensemble],
  );

  useEffect(() => {
    setNodes({});
    for (const path of ['/', ...expandedRef.current]) load(path);
  }, [load, props.refreshKey]);

  // A deep link or search result opens the znodes above it.
  useEffect(() => {
    const missing = znodeAncestors(selected).filter(
      p => !expandedRef.current.includes(p),
    );
    if (missing.length === 0) return;
    setExpanded(e => [...e, ...missing]);
    missing.forEach(p => load(p));
  }, [selected, load]);

  const onToggle = (_: unknown, ids: string[]) => {
    const opened = ids.filter(
      id => !expanded.includes(id) && !id.includes('#'),
    );
    setExpanded(ids.filter(id => !id.includes('#')));
    for (const id of opened) if (nodes[id]?.status !== 'loaded') load(id);
  };

  const renderChildren = (parent: string): JSX.Element | JSX.Element[] => {
    const state = nodes[parent];
    if (!state || state.status === 'loading')
      return <TreeItem nodeId={`${parent}#loading`} label="Loading…" />;
    if (state.status === 'error') {
      return (
        <TreeItem
          nodeId={`${parent}#error`}
          label={
            <Typography variant="body2" color="error">
              Could not list children: {state.error.message} (select to retry)
            </Typography>
          }
          onClick={() => load(parent)}
        />
      );
    }
    const items = state.items.map(child => (
      <TreeItem
        key={child.path}
        nodeId={child.path}
        label={
          <span className={classes.label}>
            <span className={classes.name}>{child.name}</span>
            {child.stat.numChildren > 0 && (
              <Typography variant="caption" color="textSecondary">
                {child.stat.numChildren.toLocaleString('en-US')}
              </Typography>
            )}
            {child.stat.ephemeral && (
              <Typography variant="caption" color="textSecondary">
                ephemeral
              </Typography>
            )}
          </span>
        }
      >
        {child.stat.numChildren > 0 ? renderChildren(child.path) : null}
      </TreeItem>
    ));
    if (state.nextCursor) {
      items.push(
        <TreeItem
          key={`${parent}#more`}
          nodeId={`${parent}#more`}
          label={
            <Button size="small" component="span" disabled={state.more}>
              {state.more
                ? 'Loading…'
                : `Load more (${
                    state.items.length
                  } of ${state.total.toLocaleString('en-US')})`}
            </Button>
          }
          onClick={() => load(parent, state.nextCursor)}
        />,
      );
    }
    return items;
  };

  const root = nodes['/'];
  return (
    <Box>
      {(!root || root.status === 'loading') && <Progress />}
      {root?.status === 'error' && (
        <Box>
          <ResponseErrorPanel error={root.error} />
          <Button onClick={() => load('/')}>Retry</Button>
        </Box>
      )}
      {root?.status === 'loaded' && (
        <TreeView
          aria-label={`Znodes of ${ensemble}`}
          defaultCollapseIcon={<ExpandMoreIcon />}
          defaultExpandIcon={<ChevronRightIcon />}
          expanded={expanded}
          selected={selected}
          onNodeToggle={onToggle}
          onNodeSelect={(_: unknown, id: string) => {
            if (!id.includes('#')) onSelect(id);
          }}
        >
          <TreeItem
            nodeId="/"
            label={
              <span className={classes.name}>/ ({root.total} children)</span>
            }
            onClick={() => onSelect('/')}
          />
          {renderChildren('/')}
        </TreeView>
      )}
    </Box>
  );
};
