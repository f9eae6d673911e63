import { AppDefinition } from '../model/types';
import { JsonObject } from '../util/json';

/**
 * Serialises a canonical app definition the way the server's `raml.App` writer does:
 * fields in RAML order, empty optional collections (args, constraints, dependencies, env,
 * fetch, healthChecks, readinessChecks, secrets) left out, deprecated fields (ports, uris,
 * ipAddress) never written.
 */
export function renderAppDefinition(app: AppDefinition): JsonObject {
  const out: JsonObject = { id: app.id };
  const put = (key: string, value: unknown, omitWhenEmpty = false) => {
    if (value === undefined) return;
    if (omitWhenEmpty) {
      if (Array.isArray(value) && value.length === 0) return;
      if (
        typeof value === 'object' &&
        value !== null &&
        Object.keys(value).length === 0
      )
        return;
    }
    out[key] = value;
  };
  put('acceptedResourceRoles', app.acceptedResourceRoles, true);
  put('args', app.args, true);
  put('backoffFactor', app.backoffFactor);
  put('backoffSeconds', app.backoffSeconds);
  put('cmd', app.cmd);
  put('constraints', app.constraints, true);
  put('container', app.container);
  put('cpus', app.cpus);
  put('dependencies', app.dependencies, true);
  put('disk', app.disk);
  put('env', app.env, true);
  put('executor', app.executor);
  put('fetch', app.fetch, true);
  put('gpus', app.gpus);
  put('healthChecks', app.healthChecks, true);
  put('check', app.check);
  put('instances', app.instances);
  put('labels', app.labels);
  put('maxLaunchDelaySeconds', app.maxLaunchDelaySeconds);
  put('mem', app.mem);
  put('networks', app.networks);
  put('portDefinitions', app.portDefinitions);
  put('readinessChecks', app.readinessChecks, true);
  put('residency', app.residency);
  put('resourceLimits', app.resourceLimits);
  put('requirePorts', app.requirePorts);
  put('secrets', app.secrets, true);
  put('taskKillGracePeriodSeconds', app.taskKillGracePeriodSeconds);
  put('upgradeStrategy', app.upgradeStrategy);
  put('user', app.user);
  put('version', app.version);
  put('versionInfo', app.versionInfo);
  put('unreachableStrategy', app.unreachableStrategy);
  put('killSelection', app.killSelection);
  put('tty', app.tty);
  put('executorResources', app.executorResources);
  put('role', app.role);
  return out;
}
