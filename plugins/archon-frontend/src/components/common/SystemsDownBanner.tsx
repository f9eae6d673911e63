import { WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { SystemHealth } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';

const LABELS: Record<string, string> = {
  zookeeper: 'ZooKeeper',
  kafka: 'Kafka',
  'kafka-connect': 'Kafka Connect',
  marathon: 'Marathon',
};

/** `zookeeper` → `ZooKeeper`. */
export function systemLabel(kind: string): string {
  return LABELS[kind] ?? kind;
}

/**
 * A banner per system of the given kinds that is unreachable, naming it and what it
 * breaks, so a page stays usable and says why parts of it fail. Shows nothing
 * while loading, when everything is up, or when the health check itself fails
 * (the page's own requests then show their errors).
 */
export const SystemsDownBanner = (props: {
  kinds: string[];
  /** What the user cannot do while the system is unreachable. */
  consequence?: string;
}) => {
  const api = useApi(archonApiRef);
  const kinds = props.kinds.join(',');
  const { value } = useAsync(
    async () => unwrap(api.getHealth({ query: { kind: kinds.split(',') } })),
    [api, kinds],
  );
  const down = (value?.systems ?? []).filter(
    (s: SystemHealth) =>
      s.status === 'unreachable' && props.kinds.includes(s.kind),
  );
  if (down.length === 0) return null;
  return (
    <>
      {down.map(s => (
        <WarningPanel
          key={`${s.kind}/${s.name}`}
          severity="warning"
          title={`${systemLabel(s.kind)} "${s.name}" is unreachable`}
          message={
            <>
              {s.error ?? 'It does not answer.'}
              {props.consequence ? ` ${props.consequence}` : ''} The rest of
              this page still works.
            </>
          }
        />
      ))}
    </>
  );
};
