import {
  decodeCursor,
  encodeCursor,
  invalidCursor,
  type CursorKey,
} from '@archon/plugin-archon-node';
import type { AuditEntry, AuditStore } from './AuditStore';
import type { Release } from '../deploy/store/ReleaseStore';
import {
  ancestorsOf,
  isSecretKey,
  maskEffectiveConfig,
  SECRET_MASK,
  type ConfigProperties,
} from '../config/core';
import type { ConfigService } from '../config/ConfigService';

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
export function namesInConfig(
  properties: Readonly<ConfigProperties>,
  max: number,
): string[] {
  const names = new Set<string>();
  for (const value of Object.values(properties)) {
    for (const part of [value, ...value.split(/[\s,]+/)]) {
      const name = part.trim();
      if (/^[A-Za-z0-9._-]{1,249}$/.test(name) && !/^[0-9.]+$/.test(name))
        names.add(name);
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
export function changesOf(
  before?: Record<string, unknown>,
  after?: Record<string, unknown>,
) {
  const flat = (s?: Record<string, unknown>) =>
    (s?.properties && typeof s.properties === 'object'
      ? (s.properties as Record<string, unknown>)
      : s) ?? {};
  const b = flat(before);
  const a = flat(after);
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .sort()
    .filter(
      key =>
        JSON.stringify(b[key]) !== JSON.stringify(a[key]) ||
        b[key] === SECRET_MASK,
    )
    .map(key => ({
      key,
      ...(key in b ? { before: b[key] } : {}),
      ...(key in a ? { after: a[key] } : {}),
    }));
}

/**
 * Where a timeline page ended: its last item's time, kind and id. Items are
 * ordered by time, then audit entries before releases, then id (all
 * descending), so the cursor names one position in a total order and a page
 * neither skips nor repeats items that share a millisecond.
 */
export interface TimelineCursor {
  time: string;
  kind: TimelineItem['kind'];
  id: string;
}

const KIND_RANK: Record<TimelineItem['kind'], number> = {
  audit: 0,
  release: 1,
};

/** Newest first, in the order the cursor follows. */
function compareItems(
  a: TimelineItem & { id: string },
  b: TimelineItem & { id: string },
): number {
  if (a.time !== b.time) return a.time < b.time ? 1 : -1;
  if (a.kind !== b.kind) return KIND_RANK[a.kind] - KIND_RANK[b.kind];
  if (a.kind === 'audit') return Number(b.id) - Number(a.id);
  // Plain code-unit order, as the database sorts release ids.
  if (a.id === b.id) return 0;
  return a.id < b.id ? 1 : -1;
}

/** What the timeline lists, in its 400s. */
export const TIMELINE_ITEMS = 'timeline items';

/** The opaque `cursor` of the next page: the shared cursor, keyed by time with kind and id as the tie-break. */
export function formatTimelineCursor(cursor: TimelineCursor): string {
  return encodeCursor({
    value: cursor.time,
    id: `${cursor.kind}:${cursor.id}`,
  });
}

/** The position a shared cursor names. @throws InputError (400 naming `cursor`) when it is not one of the timeline's. */
export function timelineCursorOf(key: CursorKey): TimelineCursor {
  const [kind, ...rest] = key.id.split(':');
  const id = rest.join(':');
  const time = key.value;
  if (
    typeof time === 'string' &&
    !Number.isNaN(Date.parse(time)) &&
    (kind === 'audit' || kind === 'release') &&
    id
  ) {
    if (kind === 'release') return { time, kind, id };
    if (/^[0-9]{1,18}$/.test(id)) return { time, kind, id: String(Number(id)) };
  }
  throw invalidCursor(TIMELINE_ITEMS);
}

/** @throws InputError when `value` is not a cursor this service handed out. */
export function parseTimelineCursor(value: string): TimelineCursor {
  const key = decodeCursor(value, TIMELINE_ITEMS);
  if (!key) throw invalidCursor(TIMELINE_ITEMS);
  return timelineCursorOf(key);
}

function relationOf(
  entry: AuditEntry,
  configPath: string,
): TimelineItem['relation'] {
  if (CONFIG_SYSTEMS.includes(entry.target.system)) return 'config-level';
  return entry.target.configPath === configPath ? 'app' : 'named-resource';
}

/** Keys whose values differ between two snapshots, compared unmasked, shown masked. */
function releaseChanges(
  before: ConfigProperties,
  after: ConfigProperties,
  secretPatterns: readonly string[],
) {
  const shown = (key: string, value: string) =>
    isSecretKey(key, secretPatterns) ? SECRET_MASK : value;
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .sort()
    .filter(key => before[key] !== after[key])
    .map(key => ({
      key,
      ...(key in before ? { before: shown(key, before[key]) } : {}),
      ...(key in after ? { after: shown(key, after[key]) } : {}),
    }));
}

function releaseItems(
  releases: Release[],
  secretPatterns: readonly string[],
): TimelineItem[] {
  // Newest first: each release is compared with the one before it.
  return releases.map((release, i) => {
    const previous = releases[i + 1];
    return {
      time: release.createdAt,
      kind: 'release' as const,
      relation: 'app' as const,
      actor: release.createdBy,
      action: 'release',
      target: {
        system: 'deploy',
        resource: release.path,
        configPath: release.path,
      },
      release: {
        id: release.id,
        status: release.status,
        instance: release.target.instance,
      },
      changes: releaseChanges(
        previous?.properties ?? {},
        release.properties,
        secretPatterns,
      ),
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
  /** Continue after this item (the previous page's nextCursor). */
  after?: TimelineCursor;
  limit: number;
  maxNames: number;
}) {
  const { config, configPath, limit, after } = options;
  const levels = ancestorsOf(configPath);
  const ensemble = config.ensemble(options.ensemble).config.name;
  // An app whose configuration does not resolve (yet) still has a timeline, without the named resources.
  const effective = await config
    .effective(configPath, ensemble)
    .catch(() => undefined);
  // Names come from the masked config: a secret value (or one with a secret substituted in) is never a name.
  const names = effective
    ? namesInConfig(
        maskEffectiveConfig(effective, options.secretPatterns).properties,
        options.maxNames,
      )
    : [];

  // After an audit entry: older entries, or as old with a smaller id. After a
  // release: only older entries (at one time, entries come before releases).
  const auditAfter =
    after?.kind === 'audit'
      ? { time: new Date(after.time), id: after.id }
      : undefined;
  const auditUntil =
    after?.kind === 'release'
      ? earlier(options.until, new Date(after.time))
      : options.until;
  const entries = await options.auditStore.list({
    order: 'time',
    after: auditAfter,
    until: auditUntil,
    limit,
    anyOf: [
      { systems: CONFIG_SYSTEMS, configPaths: levels },
      { configPaths: [configPath] },
      ...(names.length > 0
        ? [{ systems: NAMED_SYSTEMS, resources: names }]
        : []),
    ],
  });
  const auditItems = entries
    // Config edits are per ensemble; other systems' clusters are not ensembles.
    .filter(
      e =>
        !CONFIG_SYSTEMS.includes(e.target.system) ||
        !e.target.cluster ||
        e.target.cluster === ensemble,
    )
    .map(e => ({
      time: e.time,
      kind: 'audit' as const,
      relation: relationOf(e, configPath),
      actor: e.actor,
      action: e.action,
      target: e.target,
      outcome: e.outcome,
      ...(e.error ? { error: e.error } : {}),
      auditId: e.id,
      changes: changesOf(e.before, e.after),
      id: e.id,
    }));

  // One more than shown: the oldest release shown is compared with the one before it.
  // After a release: older releases, or as old with a smaller id. After an
  // audit entry: releases as old or older (times are whole milliseconds, so
  // "before the next millisecond" is "at or before").
  const releases = await config.listReleases({
    path: configPath,
    ensemble,
    until:
      after?.kind === 'audit'
        ? earlier(options.until, new Date(Date.parse(after.time) + 1))
        : options.until,
    after:
      after?.kind === 'release'
        ? { createdAt: after.time, id: after.id }
        : undefined,
    limit: limit + 1,
  });
  const releaseRows = releaseItems(releases, options.secretPatterns)
    .slice(0, limit)
    .map((item, i) => ({ ...item, id: releases[i].id }));
  const page = [...auditItems, ...releaseRows]
    .sort(compareItems)
    .slice(0, limit);
  const last = page[page.length - 1];
  return {
    configPath,
    ensemble,
    namedResources: names,
    items: page.map(({ id: _id, ...item }): TimelineItem => item),
    // Older items: ask again with `cursor` set to this.
    nextCursor:
      page.length === limit
        ? formatTimelineCursor({
            time: last.time,
            kind: last.kind,
            id: last.id,
          })
        : undefined,
  };
}

function earlier(a: Date | undefined, b: Date): Date {
  return a && a < b ? a : b;
}
