import { useCallback, useState } from 'react';
import { Box, Grid, MenuItem, TextField, Typography } from '@material-ui/core';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { archonApiRef } from '../../api';
import { isApiError, unwrap } from '../../lib/errors';
import { NodePanel } from './NodePanel';
import { PipelineDiagram } from './PipelineDiagram';
import { graphNodeIdOf } from './graphModel';
import { REFRESH_MS } from './PipelinesPage';
import { usePolled } from './usePolled';

const DEPTHS = [1, 2, 3, 4, 6, 8];

/**
 * The "Pipeline" tab of an app Component or a kafka-topic Resource: the data
 * flow upstream and downstream of it, in the same diagram as the Pipelines
 * page, refreshed every 10 s.
 */
export const EntityPipelineContent = () => {
  const { entity } = useEntity();
  const api = useApi(archonApiRef);
  const nodeId = graphNodeIdOf(entity);
  const [depth, setDepth] = useState(3);
  const [selected, setSelected] = useState<string>();

  const load = useCallback(
    () =>
      unwrap(
        api.getGraphLineage({
          path: { nodeId: nodeId! },
          query: { direction: 'both', depth },
        }),
      ),
    [api, nodeId, depth],
  );
  const { value, error, loading } = usePolled(
    load,
    `${nodeId}|${depth}`,
    REFRESH_MS,
  );

  if (!nodeId) {
    return (
      <EmptyState
        missing="info"
        title="Not part of a pipeline"
        description="This entity has no archon.io/marathon-app-id and archon.io/marathon-instance (an app) or archon.io/kafka-cluster and archon.io/kafka-topic (a topic) annotations."
      />
    );
  }
  if (isApiError(error, 404)) {
    return (
      <EmptyState
        missing="data"
        title="Not in the graph"
        description={`archon's graph has no node ${nodeId}: nothing reports it yet.`}
      />
    );
  }
  return (
    <Box>
      <Box display="flex" alignItems="center" mb={2} style={{ gap: 16 }}>
        <Typography variant="body2">
          Data flow around <code>{nodeId}</code>
        </Typography>
        <TextField
          select
          id="pipeline-depth"
          label="Depth"
          value={depth}
          onChange={e => setDepth(Number(e.target.value))}
          style={{ minWidth: 100 }}
        >
          {DEPTHS.map(d => (
            <MenuItem key={d} value={d}>
              {d} hops
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {error && <ResponseErrorPanel error={error} />}
      {loading && <Progress />}
      {value && (
        <Grid container spacing={2}>
          <Grid item xs={12} md={selected ? 8 : 12}>
            <PipelineDiagram
              graph={value}
              rootId={nodeId}
              selectedId={selected}
              onSelect={setSelected}
              fitKey={`${nodeId}|${depth}`}
              height={460}
            />
          </Grid>
          {selected && (
            <Grid item xs={12} md={4}>
              <NodePanel
                nodeId={selected}
                onClose={() => setSelected(undefined)}
              />
            </Grid>
          )}
        </Grid>
      )}
    </Box>
  );
};
