import os from 'node:os';
import { QueueEntry } from '../runtime/Scheduler';
import { OfferStats, STANDARD_REJECT_REASONS } from '../runtime/offerStats';
import { JsonObject } from '../util/json';
import { renderAppDefinition } from './renderApp';

export interface AgentDescription {
  agentId: string;
  host: string;
  portRange: { min: number; max: number };
}

/**
 * `rejectSummary*` as the server's funnel: each reason sees the offers the reasons before
 * it did not decline. `NoDockerRuntime` (this agent cannot run container images) is a
 * non-standard reason placed at the end of the funnel.
 */
function funnel(stats: OfferStats): JsonObject[] {
  let processed = stats.processed;
  const reasons = [
    ...STANDARD_REJECT_REASONS,
    ...(stats.declined.NoDockerRuntime ? ['NoDockerRuntime'] : []),
  ];
  return reasons.map(reason => {
    const declined = stats.declined[reason] ?? 0;
    const step = { reason, declined, processed };
    processed -= declined;
    return step;
  });
}

function renderOffer(agent: AgentDescription): JsonObject {
  return {
    id: `${agent.agentId}-O1`,
    agentId: agent.agentId,
    hostname: agent.host,
    resources: [
      { name: 'cpus', role: '*', scalar: os.cpus().length },
      {
        name: 'mem',
        role: '*',
        scalar: Math.floor(os.totalmem() / 1024 / 1024),
      },
      { name: 'disk', role: '*', scalar: 10240 },
      {
        name: 'ports',
        role: '*',
        ranges: [{ begin: agent.portRange.min, end: agent.portRange.max }],
      },
    ],
    attributes: [],
  };
}

/** One `/v2/queue` item (server: QueueInfoConversion). */
export function renderQueueEntry(
  entry: QueueEntry,
  withLastUnusedOffers: boolean,
  agent: AgentDescription,
): JsonObject {
  const timeLeftMs = entry.delayMs;
  const stats = entry.offers;
  const item: JsonObject = {
    count: entry.count,
    role: entry.app.role,
    delay: {
      timeLeftSeconds: Math.floor(timeLeftMs / 1000),
      overdue: timeLeftMs <= 0,
    },
    since: entry.since,
    processedOffersSummary: {
      processedOffersCount: stats.processed,
      unusedOffersCount: stats.unused,
      ...(stats.lastUnusedAt ? { lastUnusedOfferAt: stats.lastUnusedAt } : {}),
      ...(stats.lastUsedAt ? { lastUsedOfferAt: stats.lastUsedAt } : {}),
      rejectSummaryLastOffers: funnel({
        ...stats,
        processed: stats.lastUnused ? 1 : 0,
        declined: stats.lastUnused ? { [stats.lastUnused.reasons[0]]: 1 } : {},
      }),
      rejectSummaryLaunchAttempt: funnel(stats),
    },
  };
  if (withLastUnusedOffers) {
    item.lastUnusedOffers = stats.lastUnused
      ? [
          {
            offer: renderOffer(agent),
            reason: stats.lastUnused.reasons,
            timestamp: stats.lastUnused.timestamp,
          },
        ]
      : [];
  }
  item.app = renderAppDefinition(entry.app);
  return item;
}
