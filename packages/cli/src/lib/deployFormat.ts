import {
  deployPlanScale,
  type DeployDefinitionChange,
  type DeployPlan,
  type Release,
  type ReleaseDiff,
} from '@archon/plugin-archon-common';
import { diffIsEmpty, formatConfigDiff } from './configFormat';
import { formatTable, type Colors } from './output';

function value(v: unknown): string {
  if (v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Field-level changes of an app definition as `+`/`-`/`~` lines. */
export function formatDefinitionChanges(
  changes: DeployDefinitionChange[],
  colors: Colors,
  indent = '  ',
): string[] {
  return changes.map(c => {
    if (c.change === 'added')
      return `${indent}${colors.green(`+ ${c.field} = ${value(c.after)}`)}`;
    if (c.change === 'removed')
      return `${indent}${colors.red(`- ${c.field} = ${value(c.before)}`)}`;
    return `${indent}${colors.yellow(
      `~ ${c.field}: ${value(c.before)} → ${value(c.after)}`,
    )}`;
  });
}

/**
 * A dry run for humans: what would be shipped where, the app definition's
 * changes against the running app, and the configuration's changes against
 * the latest deployed release.
 */
export function formatPlan(plan: DeployPlan, colors: Colors): string {
  const lines = [
    `${colors.bold(plan.configPath)} → ${plan.workloadId} on ${
      plan.instance
    } (${plan.targetKind})${
      plan.fromRelease ? `, the snapshot of release ${plan.fromRelease}` : ''
    }`,
    colors.dim(
      plan.exists
        ? 'the app exists: changes against the running definition'
        : 'the app does not exist yet: it would be created',
    ),
    '',
    colors.bold('App definition'),
    ...(plan.changes.length
      ? formatDefinitionChanges(plan.changes, colors)
      : ['  no changes: the running app already has this definition']),
  ];
  const scale = deployPlanScale(plan);
  if (scale?.change) lines.push(`  ${colors.bold(scale.change)}`);
  else if (scale)
    lines.push(
      colors.dim(
        `  instances: ${scale.instances} kept (scaled by ${scale.actor} at ${scale.at}; the configuration sets none)`,
      ),
    );
  if (plan.pending) {
    lines.push(
      '',
      colors.bold(
        plan.latestRelease
          ? `Configuration since release ${plan.latestRelease}`
          : 'Configuration (never deployed: everything is new)',
      ),
      ...(diffIsEmpty(plan.pending)
        ? ['  no pending changes']
        : formatConfigDiff(plan.pending, colors, '  ')),
    );
  }
  if (plan.masked)
    lines.push('', colors.dim('secret values are masked (********)'));
  return lines.join('\n');
}

/** A release or deploy status, green when it worked, red when it did not. */
export function colorStatus(status: string, colors: Colors): string {
  if (status === 'deployed' || status === 'succeeded')
    return colors.green(status);
  if (status === 'failed' || status === 'timeout') return colors.red(status);
  return status;
}

/** Releases newest first, one line each. */
/** A release's state on its target (archon-common `releaseStates`), live in green. */
function colorReleaseState(state: string, colors: Colors): string {
  if (state === 'live') return colors.green(state);
  if (state === 'failed') return colors.red(state);
  if (state === 'deploying') return colors.yellow(state);
  return state;
}

/** Releases newest first; `states` (by id) marks the live one and the others' lifecycle. */
export function formatReleases(
  releases: Release[],
  colors: Colors,
  states: Record<string, string> = {},
): string {
  return formatTable(
    ['release', 'state', 'target', 'created', 'by', 'note'],
    releases.map(r => {
      const target = r.target as {
        instance?: string;
        rollbackOf?: string;
        rolledBackFrom?: string;
      };
      const reason = (r.outcome as { reason?: string } | undefined)?.reason;
      let note = '';
      if (target.rollbackOf)
        note = `rollback to ${target.rollbackOf}${
          target.rolledBackFrom ? ` (from ${target.rolledBackFrom})` : ''
        }`;
      if (r.status === 'failed')
        note = [note, reason].filter(Boolean).join('; ');
      return [
        r.id,
        states[r.id]
          ? colorReleaseState(states[r.id], colors)
          : colorStatus(r.status, colors),
        target.instance ?? '',
        r.createdAt,
        r.createdBy,
        note,
      ];
    }),
    { colors },
  );
}

/** A configuration diff between two releases (or a release and today's configuration). */
export function formatReleaseDiff(diff: ReleaseDiff, colors: Colors): string {
  return [
    colors.dim(`${diff.from} → ${diff.to}`),
    ...(diffIsEmpty(diff.diff)
      ? ['no differences']
      : formatConfigDiff(diff.diff, colors)),
  ].join('\n');
}
