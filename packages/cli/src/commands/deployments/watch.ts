import type { Command } from 'commander';
import { followFlow, formatProgress, reportFlow } from '../../lib/deployFollow';
import { action, type CliIo } from '../../lib/runtime';

/** `archon deployments watch` */
export function addWatchCommand(deployments: Command, io: CliIo) {
  deployments
    .command('watch')
    .description(
      'follow a deploy or operation live until it ends; exits by its outcome (0, 10 failed, 11 timed out)',
    )
    .argument('<id>', 'a release id or op- id')
    .action(
      action(io, async (rt, id: string) => {
        // Read first: an unknown id is a plain 404 (exit 3), and a dropped stream can be resumed.
        const known = await rt.api.call((c, o) =>
          c.getDeployment({ path: { id } }, o),
        );
        if (!rt.out.machine)
          rt.out.line(
            rt.out.colors.dim(
              `${known.kind} ${known.id}: ${known.configPath} → ${known.workloadId} on ${known.instance}`,
            ),
          );
        const flow = await followFlow(
          rt,
          {
            path: `/deployments/${encodeURIComponent(id)}/events`,
            method: 'GET',
          },
          known,
        );
        // A flow this backend no longer follows has only its result on the stream: print its recorded steps.
        if (!flow.progress?.length) {
          for (const p of known.progress ?? [])
            (rt.out.machine ? rt.out.info : rt.out.line).call(
              rt.out,
              formatProgress(p, rt.out.colors),
            );
          reportFlow(rt, { ...flow, progress: known.progress });
          return;
        }
        reportFlow(rt, flow);
      }),
    );
}
