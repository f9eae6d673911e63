import type { ArchonAuditSummary } from '@archon/plugin-archon-node';
import type { ConfigProperties } from '../config/core';

/**
 * The before/after summary of a configuration set write: only the keys that
 * changed (absent keys left out), so the audit entry is the write's diff.
 * The audit log masks secret keys.
 */
export function configWriteSummary(result: {
  changedKeys?: string[];
  before?: {
    hasSet?: boolean;
    properties?: ConfigProperties;
    version?: number;
  };
  after?: { hasSet?: boolean; properties?: ConfigProperties; version?: number };
}): { before?: ArchonAuditSummary; after?: ArchonAuditSummary } {
  const keys = result.changedKeys ?? [];
  const pick = (level?: {
    hasSet?: boolean;
    properties?: ConfigProperties;
    version?: number;
  }) => {
    if (!level?.hasSet || !level.properties) return undefined;
    const properties = Object.fromEntries(
      keys
        .filter(k => k in level.properties!)
        .map(k => [k, level.properties![k]]),
    );
    return { version: level.version, properties };
  };
  return { before: pick(result.before), after: pick(result.after) };
}
