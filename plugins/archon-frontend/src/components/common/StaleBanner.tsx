import { WarningPanel } from '@backstage/core-components';

/** What a cached answer carries when its source was unreachable (archon's `stale` and `asOf`). */
export interface MaybeStale {
  stale?: boolean;
  asOf?: string;
}

/**
 * One banner for every page showing an answer archon served from its cache
 * while the system behind it was unreachable: the data is shown, and the
 * banner says how old it is and that changes made since are not in it.
 * Shows nothing for a current answer.
 */
export const StaleBanner = (props: {
  answer?: MaybeStale;
  /** The system the data comes from, e.g. `ZooKeeper`. */
  system: string;
}) => {
  const { answer, system } = props;
  if (!answer?.stale) return null;
  const asOf = answer.asOf ? new Date(answer.asOf) : undefined;
  const when =
    asOf && !Number.isNaN(asOf.getTime())
      ? asOf.toLocaleString()
      : 'an earlier time';
  return (
    <WarningPanel
      severity="warning"
      title={`${system} is not reachable: showing what archon last saw, as of ${when}`}
      message={`Changes made in ${system} since then are not shown. This page updates by itself once ${system} answers again; writes wait until then.`}
    />
  );
};
