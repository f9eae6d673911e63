import type {
  MarathonApp,
  MarathonQueueItem,
  MarathonTaskFailure,
} from '../client/types';

/** What each of Marathon's offer-decline reasons means for an app that does not launch. */
const REASONS: Record<string, (app?: MarathonApp) => string> = {
  UnfulfilledRole: app =>
    `no offer had resources for the app's role${
      app?.role ? ` "${app.role}"` : ''
    } (acceptedResourceRoles)`,
  UnfulfilledConstraint: app =>
    `no agent satisfied the placement constraints${
      app?.constraints?.length ? ` ${JSON.stringify(app.constraints)}` : ''
    }`,
  NoCorrespondingReservationFound: () =>
    'no matching resource reservation was offered (resident app)',
  AgentMaintenance: () => 'the offering agents are in maintenance',
  InsufficientCpus: app => `no agent offered ${app?.cpus ?? '?'} CPUs`,
  InsufficientMemory: app =>
    `no agent offered ${app?.mem ?? '?'} MiB of memory`,
  InsufficientDisk: app => `no agent offered ${app?.disk ?? '?'} MiB of disk`,
  InsufficientGpus: app => `no agent offered ${app?.gpus ?? '?'} GPUs`,
  InsufficientPorts: () =>
    'no agent offered the ports the app needs (fixed ports taken, or requirePorts)',
  DeclinedScarceResources: () =>
    'offers with scarce resources (e.g. GPUs) were kept for apps that need them',
  NoDockerRuntime: () =>
    'the agent cannot run container images (local Marathon): give marathon.cmd or marathon.args',
};
export function explainQueue(
  appId: string,
  item: MarathonQueueItem | undefined,
  failure?: MarathonTaskFailure,
) {
  if (!item) {
    return {
      appId,
      queued: false,
      reasons: [],
      explanation: ['Nothing of this app waits to be launched.'],
      lastTaskFailure: failure,
    };
  }
  const summary = item.processedOffersSummary;
  const last = summary?.rejectSummaryLastOffers ?? [];
  const all = summary?.rejectSummaryLaunchAttempt ?? [];
  const source = last.some(r => r.declined > 0) ? last : all;
  const reasons = source
    .filter(r => r.declined > 0)
    .map(r => ({
      ...r,
      explanation: (REASONS[r.reason] ?? (() => r.reason))(item.app),
    }));
  for (const offer of item.lastUnusedOffers ?? []) {
    for (const reason of offer.reason ?? []) {
      if (!reasons.some(r => r.reason === reason)) {
        reasons.push({
          reason,
          declined: 1,
          processed: 1,
          explanation: (REASONS[reason] ?? (() => reason))(item.app),
        });
      }
    }
  }
  const explanation: string[] = [];
  if (item.delay && !item.delay.overdue && item.delay.timeLeftSeconds > 0) {
    explanation.push(
      `Launches are delayed for another ${item.delay.timeLeftSeconds} s (back-off after failed tasks); reset it with DELETE .../queue/delay.`,
    );
  }
  for (const r of reasons)
    explanation.push(
      `Offers declined (${r.reason}, ${r.declined}): ${r.explanation}.`,
    );
  if (failure)
    explanation.push(
      `Last task failure: ${failure.message} (${failure.state} on ${failure.host} at ${failure.timestamp}).`,
    );
  if (explanation.length === 0)
    explanation.push(
      `${item.count} instance(s) wait for an offer; none was declined yet.`,
    );
  return {
    appId,
    queued: true,
    count: item.count,
    since: item.since,
    delay: item.delay,
    reasons,
    explanation,
    lastTaskFailure: failure,
  };
}
