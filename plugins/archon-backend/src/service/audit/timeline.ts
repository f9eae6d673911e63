import type { AuditEntry, AuditStore } from '../../database/AuditStore';
import type { Release } from '../../database/ReleaseStore';
import { ancestorsOf, isSecretKey, maskEffectiveConfig, SECRET_MASK, type ConfigProperties } from '../config';
import type { ConfigService } from '../ConfigService';

/** At most this many names from an app's configuration are matched against topics, groups and connectors. */
export const TIMELINE_MAX_TOPIC_NAMES = 200;

/** Systems whose entries change configuration levels (raw znode edits under the config root count too). */
const CONFIG_SYSTEMS = ['config', 'zookeeper'];
/** Systems whose resources are named by value in an app's configuration. */
const NAMED_SYSTEMS = ['kafka', 'connect'];

/** One change in an app's timeline: an audited mutation or a release, with what it changed. */
export interface TimelineItem {
  time: string;
  kind: 'audit' | 'release';
  /** Why it belongs: a config level of the path, the app itself, or a name its config uses. */
  relation: 'config-level' | 'app' | 'named-resource';
  actor: string;
  action: string;
  target: AuditEntry['target'];
  outcome?: AuditEntry['outcome'];
  error?: string;
  auditId?: string;
  release?: { id: string; status: string; instance?: unknown };
  /** Per key or field: before → after (secrets masked). */
  changes: Array<{ key: string; before?: unknown; after?: unknown }>;
}

/**
 * Candidate resource names in configuration values: each value and each of
 * its comma- or whitespace-separated parts that look like a Kafka or Connect
 * name. archon-marathon's topic rules live in that module (which depends on
 * archon-backend's neighbours), so the timeline matches names instead: an
 * entry belongs to the app when its resource is named in the app's config.
 */
export function namesInConfig(properties: Readonly<ConfigProperties>, max: number): string[] {
  const names = new Set<string>();
  for (const value of Object.values(properties)) {
    for (const part of [value, ...value.split(/[\s,]+/)]) {
      const name = part.trim();
      if (/^[A-Za-z0-9._-]{1,249}$/.test(name) && !/^[0-9.]+$/.test(name)) names.add(name);
      if (names.size >= max) return [...names];
    }
  }
  return [...names];
}

/**
 * What changed between two summaries: every key of `properties` (or
 * top-level field) that differs. Two masks are a change too: summaries only
 * hold changed keys, and a secret that changed is masked on both sides.
 */
export function changesOf(before?: Record<string, unknown>, after?: Record<string, unknown>) {
  const flat = (s?: Record<string, unknown>) =>
    (s?.properties && typeof s.properties === 'object' ? (s.properties as Record<string, unknown>) : s) ?? {};
  const b = flat(before);
  const a = flat(after);
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .sort()
    .filter(key => JSON.stringify(b[key]) !== JSON.stringify(a[key]) || b[key] === SECRET_MASK)
    .map(key => ({ key, ...(key in b ? { before: b[key] } : {}), ...(key in a ? { after: a[key] } : {}) }));
}

function relationOf(entry: AuditEntry, configPath: string): TimelineItem['relation'] {
  if (CONFIG_SYSTEMS.includes(entry.target.system)) return 'config-level';
  return entry.target.configPath === configPath ? 'app' : 'named-resource';
}

/** Keys whose values differ between two snapshots, compared unmasked, shown masked. */
function releaseChanges(before: ConfigProperties, after: ConfigProperties, secretPatterns: readonly string[]) {
  const shown = (key: string, value: string) => (isSecretKey(key, secretPatterns) ? SECRET_MASK : value);
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .sort()
    .filter(key => before[key] !== after[key])
    .map(key => ({
      key,
      ...(key in before ? { before: shown(key, before[key]) } : {}),
      ...(key in after ? { after: shown(key, after[key]) } : {}),
    }));
}

function releaseItems(releases: Release[], secretPatterns: readonly string[]): TimelineItem[] {
  // Newest first: each release is compared with the one before it.
  return releases.map((release, i) => {
    const previous = releases[i + 1];
    return {
      time: release.createdAt,
      kind: 'release' as const,
      relation: 'app' as const,
      actor: release.createdBy,
      action: 'release',
      target: { system: 'deploy', resource: release.path, configPath: release.path },
      release: { id: release.id, status: release.status, instance: release.target.instance },
      changes: releaseChanges(previous?.properties ?? {}, release.properties, secretPatterns),
    };
  });
}

/**
 * One app's changes across systems, newest first: configuration edits on
 * every level of its path (through the config API or raw ZooKeeper),
 * deploys, rollbacks, scale/restart/suspend/destroy and Marathon operations
 * on the app, its releases with their diffs, and changes to the topics,
 * consumer groups and connectors its effective configuration names.
 */
export async function buildTimeline(options: {
  auditStore: AuditStore;
  config: ConfigService;
  secretPatterns: readonly string[];
  configPath: string;
  ensemble?: string;
  until?: Date;
  limit: number;
  maxNames: number;
}) {
  const { config, configPath, limit } = options;
  const levels = ancestorsOf(configPath);
  const ensemble = config.ensemble(options.ensemble).config.name;
  // An app whose configuration does not resolve (yet) still has a timeline, without the named resources.
  const effective = await config.effective(configPath, ensemble).catch(() => undefined);
  // Names come from the masked config: a secret value (or one with a secret substituted in) is never a name.
  const names = effective
    ? namesInConfig(maskEffectiveConfig(effective, options.secretPatterns).properties, options.maxNames)
    : [];

  const entries = await options.auditStore.list({
    until: options.until,
    limit,
    anyOf: [
      { systems: CONFIG_SYSTEMS, configPaths: levels },
      { configPaths: [configPath] },
      ...(names.length > 0 ? [{ systems: NAMED_SYSTEMS, resources: names }] : []),
    ],
  });
  const auditItems: TimelineItem[] = entries
    // Config edits are per ensemble; other systems' clusters are not ensembles.
    .filter(e => !CONFIG_SYSTEMS.includes(e.target.system) || !e.target.cluster || e.target.cluster === ensemble)
    .map(e => ({
      time: e.time,
      kind: 'audit',
      relation: relationOf(e, configPath),
      actor: e.actor,
      action: e.action,
      target: e.target,
      outcome: e.outcome,
      ...(e.error ? { error: e.error } : {}),
      auditId: e.id,
      changes: changesOf(e.before, e.after),
    }));

  // One more than shown: the oldest release shown is compared with the one before it.
  const releases = await config.listReleases({ path: configPath, ensemble, until: options.until, limit: limit + 1 });
  const items = [...auditItems, ...releaseItems(releases, options.secretPatterns).slice(0, limit)]
    // Newest first; the sort is stable, so entries of the same millisecond keep the log's order.
    .sort((a, b) => b.time.localeCompare(a.time))
    .slice(0, limit);
  return {
    configPath,
    ensemble,
    namedResources: names,
    items,
    // Older items: ask again with `until` set to the oldest time shown.
    nextUntil: items.length === limit ? items[items.length - 1].time : undefined,
  };
}
