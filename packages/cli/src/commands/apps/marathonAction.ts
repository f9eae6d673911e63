import type {
  MarathonAppActionResult,
  MarathonAppActionResultActionEnum,
} from '@archon/plugin-archon-common';
import type { AppRef } from '../../lib/appLookup';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import type { CliRuntime } from '../../lib/runtime';

/** How long `--wait` follows Marathon's deployment when `--timeout` is not given. */
const DEFAULT_WAIT_SECONDS = 600;
const POLL_MS = 1000;

/**
 * An operation on an app archon did not deploy (no configuration path):
 * archon's `/marathon/{instance}/apps/{appId}/<action>` (audited,
 * permission-checked on the app id), then with `--wait` (the default) Marathon's
 * deployment followed until Marathon no longer lists it. Apps archon
 * deployed go through their configuration path (`ship`), which records
 * releases.
 */
export async function marathonAction(
  rt: CliRuntime,
  ref: AppRef,
  action: MarathonAppActionResultActionEnum,
  options: {
    instances?: number;
    force?: boolean;
    wait?: boolean;
    timeout?: number;
  },
): Promise<void> {
  const path = { instance: ref.instance, appId: ref.app.id.slice(1) };
  const force = options.force;
  const result: MarathonAppActionResult = await rt.api.call((c, o) => {
    if (action === 'scale')
      return c.marathonScaleApp(
        { path, body: { instances: options.instances!, force } },
        o,
      );
    if (action === 'restart')
      return c.marathonRestartApp({ path, body: { force } }, o);
    if (action === 'suspend')
      return c.marathonSuspendApp({ path, body: { force } }, o);
    return c.marathonDestroyApp(
      { path, body: { confirm: ref.app.id, force } },
      o,
    );
  });
  const what = `${action} ${ref.app.id} on ${ref.instance}${
    result.instances !== undefined ? ` to ${result.instances} instances` : ''
  }`;
  if (options.wait === false) {
    rt.out.result(
      result,
      () =>
        `Marathon accepted ${what}: deployment ${result.deploymentId} (archon apps status ${ref.app.id} shows it)`,
    );
    return;
  }
  rt.out.info(
    rt.out.errColors.dim(
      `Marathon started deployment ${result.deploymentId} (${what}); waiting for it to end`,
    ),
  );
  const seconds = options.timeout ?? DEFAULT_WAIT_SECONDS;
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const { items } = await rt.api.call((c, o) =>
      c.marathonListDeployments({ path: { instance: ref.instance } }, o),
    );
    if (!items.some(d => d.id === result.deploymentId)) break;
    if (Date.now() > deadline)
      throw new CliError(
        `Marathon's deployment ${result.deploymentId} (${what}) is still running after ${seconds} s; archon stopped waiting, Marathon goes on`,
        ExitCode.DeployTimeout,
      );
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
  rt.out.result(
    { ...result, inProgress: false },
    () =>
      `${what}: Marathon's deployment ${result.deploymentId} is no longer in progress`,
  );
}
