import type { Command } from 'commander';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { userInfo } from '../../lib/oidc';
import { action, type CliIo } from '../../lib/runtime';

/** `archon whoami` */
export function addWhoamiCommand(program: Command, io: CliIo) {
  program
    .command('whoami')
    .description(
      'who the backend takes you for: your user entity ref and ownership refs, or that a static token (a service) is used',
    )
    .action(
      action(io, async rt => {
        const { target } = rt;
        const token = await rt.api.token();
        if (!token) {
          throw new CliError(
            `no identity for ${target.url}: not signed in and no token`,
            ExitCode.Auth,
            ['  sign in with: archon login'],
          );
        }
        if (target.tokenSource !== 'signed-in user') {
          // Static tokens are services; the check below proves the backend accepts it.
          await rt.api.call((c, o) => c.getHealth({ query: {} }, o));
          rt.out.result(
            {
              url: target.url,
              principal: 'service',
              tokenSource: target.tokenSource,
            },
            () =>
              `a static token from ${target.tokenSource}: the backend sees a service, not a person (sign in with: archon login)`,
          );
          return;
        }
        const info = await userInfo(target.url, token);
        rt.out.result(
          {
            url: target.url,
            principal: 'user',
            userEntityRef: info.userEntityRef,
            ownershipEntityRefs: info.ownershipEntityRefs,
          },
          () =>
            [
              info.userEntityRef,
              ...info.ownershipEntityRefs
                .filter(r => r !== info.userEntityRef)
                .map(r => `  member of ${r}`),
            ].join('\n'),
        );
      }),
    );
}
