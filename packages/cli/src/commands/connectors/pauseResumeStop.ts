import type { Command } from 'commander';
import { action, type CliIo } from '../../lib/runtime';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon connectors pause`, `resume` and `stop`: one state change each */
export function addPauseResumeStopCommand(
  connectors: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
  const stateChange = (
    verb: 'pause' | 'resume' | 'stop',
    description: string,
  ) =>
    connectors
      .command(verb)
      .description(description)
      .argument('<name>', 'connector name')
      .action(
        action(io, async (rt, connector: string) => {
          const name = await cluster(rt);
          const request = { path: { cluster: name, name: connector } };
          const result = await rt.api.call((c, o) => {
            if (verb === 'pause') return c.connectPauseConnector(request, o);
            if (verb === 'resume') return c.connectResumeConnector(request, o);
            return c.connectStopConnector(request, o);
          });
          rt.out.result(
            result,
            () =>
              `${rt.out.colors.green('✓')} ${verb} requested for ${connector}`,
          );
        }),
      );

  stateChange('pause', 'pause a connector and its tasks');

  stateChange('resume', 'resume a paused or stopped connector');

  stateChange(
    'stop',
    'stop a connector (its tasks are shut down; offsets can then be changed)',
  );
}
