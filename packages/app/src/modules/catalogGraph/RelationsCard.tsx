import { useCallback } from 'react';
import { useNavigate } from 'react-router-dom';
import { makeStyles } from '@material-ui/core';
import {
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { DependencyGraphTypes } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  catalogGraphRouteRef,
  Direction,
  EntityRelationsGraph,
  type EntityEdge,
  type EntityNode,
} from '@backstage/plugin-catalog-graph';
import {
  EntityInfoCard,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { ButtonLink } from '@backstage/ui';
import { ARCHON_CATALOG_RELATION_LABELS } from '@archon/plugin-archon';

const useStyles = makeStyles(theme => ({
  graph: { height: '100%', minHeight: 0 },
  label: { fill: theme.palette.textContrast },
}));

/**
 * The label of a drawn edge: archon's relations in words along the arrow
 * ("mirrors to", "consumed by"), others as the catalog graph writes them
 * (the relation types, "ownerOf / ownedBy").
 */
export function edgeLabel(relations: readonly string[]): string {
  return ARCHON_CATALOG_RELATION_LABELS[relations[0]] ?? relations.join(' / ');
}

const RelationLabel = ({
  edge,
}: DependencyGraphTypes.RenderLabelProps<EntityEdge>) => {
  const classes = useStyles();
  return (
    <text className={classes.label} textAnchor="middle">
      {edgeLabel(edge.relations)}
    </text>
  );
};

/**
 * The entity page's Relations card (the catalog graph plugin's, one level
 * deep, both directions of a relation merged) with archon's relations
 * labelled in words: the plugin's card takes no label renderer through its
 * extension config.
 */
export const RelationsCard = () => {
  const { entity } = useEntity();
  const classes = useStyles();
  const entityRoute = useRouteRef(entityRouteRef);
  const graphRoute = useRouteRef(catalogGraphRouteRef);
  const navigate = useNavigate();
  const onNodeClick = useCallback(
    (node: EntityNode) => {
      const { kind, namespace, name } = parseEntityRef(node.id);
      navigate(
        entityRoute({
          kind: kind.toLocaleLowerCase('en-US'),
          namespace: namespace.toLocaleLowerCase('en-US'),
          name,
        }),
      );
    },
    [entityRoute, navigate],
  );
  const query = new URLSearchParams({
    'rootEntityRefs[]': stringifyEntityRef(entity),
    maxDepth: '1',
    unidirectional: 'true',
    mergeRelations: 'true',
    direction: Direction.LEFT_RIGHT,
  });
  return (
    <EntityInfoCard
      title="Relations"
      footerActions={
        <ButtonLink variant="tertiary" href={`${graphRoute()}?${query}`}>
          View graph
        </ButtonLink>
      }
    >
      <EntityRelationsGraph
        rootEntityNames={getCompoundEntityRef(entity)}
        maxDepth={1}
        unidirectional
        mergeRelations
        direction={Direction.LEFT_RIGHT}
        zoom="enable-on-click"
        onNodeClick={onNodeClick}
        renderLabel={RelationLabel}
        className={classes.graph}
      />
    </EntityInfoCard>
  );
};
