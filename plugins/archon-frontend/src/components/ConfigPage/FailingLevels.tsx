import {
  Progress,
  ResponseErrorPanel,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ConfigTreeNode } from '@archon/plugin-archon-common';
import { Link } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { ArchonTable, Identifier } from '../common/ArchonTable';

/** Deep enough for any configuration path the tree holds. */
const TREE_DEPTH = 32;

type FailingLevel = { path: string } & NonNullable<ConfigTreeNode['failing']>;

/** The levels the tree marks failing, depth-first. */
export function failingLevels(node: ConfigTreeNode): FailingLevel[] {
  return [
    ...(node.failing ? [{ path: node.path, ...node.failing }] : []),
    ...(node.children ?? []).flatMap(failingLevels),
  ];
}

/**
 * Every level whose effective configuration does not resolve (`?failing=true`,
 * where the Home page's count links), with the keys and why; a level opens it.
 */
export const FailingLevels = (props: { onSelect: (path: string) => void }) => {
  const api = useApi(archonApiRef);
  const tree = useAsync(
    () =>
      unwrap(api.getConfigTree({ query: { prefix: '/', depth: TREE_DEPTH } })),
    [api],
  );
  if (tree.loading) return <Progress />;
  if (tree.error) return <ResponseErrorPanel error={tree.error} />;
  const rows = failingLevels(tree.value!);
  const columns: TableColumn<FailingLevel>[] = [
    {
      title: 'Level',
      field: 'path',
      render: r => (
        <Identifier text={r.path} maxWidth="40ch">
          <Link component="button" onClick={() => props.onSelect(r.path)}>
            {r.path}
          </Link>
        </Identifier>
      ),
    },
    { title: 'Keys', render: r => r.keys.join(', ') },
    { title: 'Why', field: 'reason' },
  ];
  return (
    <ArchonTable
      title={`Levels that do not resolve (${rows.length})`}
      options={{ paging: false, search: false }}
      columns={columns}
      data={rows}
    />
  );
};
