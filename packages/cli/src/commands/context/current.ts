import type { Command } from 'commander';
import { action, type CliIo } from '../../lib/runtime';

/** `archon context current` */
export function addCurrentCommand(context: Command, io: CliIo) {
  context
    .command('current')
    .description('show which backend and token the next command uses, and why')
    .action(
      action(io, async rt => {
        const t = rt.target;
        const user =
          t.tokenSource === 'signed-in user' ? t.context?.user : undefined;
        const data = {
          context: t.contextName ?? null,
          url: t.url,
          urlSource: t.urlSource,
          tokenSource: t.tokenSource,
          identity: user?.userEntityRef ?? null,
          configFile: t.configFile,
        };
        let identity = 'none';
        if (user)
          identity = `${user.userEntityRef} (signed in; archon whoami checks it)`;
        else if (t.tokenSource !== 'none')
          identity = `static token from ${t.tokenSource} (a service, not a person)`;
        rt.out.result(data, () =>
          [
            `context:  ${t.contextName ?? '(none)'}`,
            `url:      ${t.url}  (from ${t.urlSource})`,
            `identity: ${identity}`,
          ].join('\n'),
        );
      }),
    );
}
