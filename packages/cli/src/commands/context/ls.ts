import type { Command } from 'commander';
import { readConfigFile, configFilePath } from '../../lib/contexts';
import { formatTable } from '../../lib/output';
import { action, type CliIo } from '../../lib/runtime';
import { identityLabel } from './shared';

/** `archon context ls` */
export function addLsCommand(context: Command, io: CliIo) {
  context
    .command('ls')
    .alias('list')
    .description('list contexts; * marks the current one')
    .action(
      action(io, async rt => {
        const file = configFilePath(rt.env);
        const config = readConfigFile(file);
        const items = Object.entries(config.contexts).map(([name, c]) => ({
          name,
          current: name === config.currentContext,
          url: c.url,
          identity: identityLabel(c),
          ensemble: c.ensemble,
          kafkaCluster: c.kafkaCluster,
          connectCluster: c.connectCluster,
          deployTarget: c.deployTarget,
        }));
        const notes: string[] = [];
        if (rt.env.ARCHON_URL)
          notes.push(
            `ARCHON_URL=${rt.env.ARCHON_URL} overrides the context's URL`,
          );
        if (rt.env.ARCHON_TOKEN)
          notes.push("ARCHON_TOKEN overrides the context's token");
        rt.out.result(
          {
            configFile: file,
            currentContext: config.currentContext ?? null,
            contexts: items,
          },
          () => {
            if (!items.length)
              return `No contexts in ${file}; sign in with: archon login [url]`;
            const table = formatTable(
              ['', 'name', 'url', 'identity', 'defaults'],
              items.map(i => [
                i.current ? '*' : '',
                i.name,
                i.url,
                i.identity,
                [
                  i.ensemble && `ensemble=${i.ensemble}`,
                  i.kafkaCluster && `kafka=${i.kafkaCluster}`,
                  i.connectCluster && `connect=${i.connectCluster}`,
                  i.deployTarget && `target=${i.deployTarget}`,
                ]
                  .filter(Boolean)
                  .join(' '),
              ]),
              { colors: rt.out.colors },
            );
            return [table, ...notes.map(n => rt.out.colors.dim(n))].join('\n');
          },
        );
      }),
    );
}
