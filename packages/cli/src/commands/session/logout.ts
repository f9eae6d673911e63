import type { Command } from 'commander';
import {
  configFilePath,
  readConfigFile,
  writeConfigFile,
} from '../../lib/contexts';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { revokeSession } from '../../lib/oidc';
import { action, type CliIo } from '../../lib/runtime';

/** `archon logout` */
export function addLogoutCommand(program: Command, io: CliIo) {
  program
    .command('logout')
    .description(
      'sign out of the current context (or --context): revokes the sign-in at the backend and forgets its tokens',
    )
    .action(
      action(io, async rt => {
        const file = configFilePath(rt.env);
        const config = readConfigFile(file);
        const name =
          rt.globals.context || rt.env.ARCHON_CONTEXT || config.currentContext;
        const context = name ? config.contexts[name] : undefined;
        if (!name || !context) {
          throw new CliError(
            'there is no current context to sign out of',
            ExitCode.NotFound,
            ['  see: archon context ls'],
          );
        }
        if (!context.user) {
          rt.out.result(
            { context: name, signedOut: false },
            () =>
              `Context "${name}" has no signed-in user; nothing to sign out of`,
          );
          return;
        }
        const user = context.user;
        await revokeSession(user);
        delete context.user;
        writeConfigFile(file, config);
        rt.out.result(
          { context: name, signedOut: true, identity: user.userEntityRef },
          () =>
            `Signed out ${user.userEntityRef} from context "${name}" (its refresh token is revoked)`,
        );
      }),
    );
}
