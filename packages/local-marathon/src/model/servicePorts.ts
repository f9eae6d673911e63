import { AppDefinition } from './types';

/** Marathon's default `--local_port_min` / `--local_port_max`. */
export const SERVICE_PORT_MIN = 10000;
export const SERVICE_PORT_MAX = 20000;

export function servicePortsOf(app: AppDefinition): number[] {
  if (app.container?.portMappings && app.container.portMappings.length > 0) {
    return app.container.portMappings.map(mapping => mapping.servicePort);
  }
  return (app.portDefinitions ?? []).map(definition => definition.port);
}

/**
 * Replaces requested service port 0 with a cluster-unique port from 10000 up, like the
 * server does when an app is stored. An update keeps the service port it had at the same
 * index, so load-balancer configuration does not move on every change.
 */
export function assignServicePorts(
  app: AppDefinition,
  previous: AppDefinition | undefined,
  usedByOtherApps: Set<number>,
): void {
  const previousPorts = previous ? servicePortsOf(previous) : [];
  const taken = new Set([
    ...usedByOtherApps,
    ...servicePortsOf(app).filter(port => port !== 0),
  ]);
  let candidate = SERVICE_PORT_MIN;
  const next = (index: number): number => {
    const kept = previousPorts[index];
    if (kept !== undefined && kept !== 0 && !taken.has(kept)) {
      taken.add(kept);
      return kept;
    }
    while (taken.has(candidate) && candidate <= SERVICE_PORT_MAX) candidate++;
    if (candidate > SERVICE_PORT_MAX)
      throw new Error('All service ports are in use');
    taken.add(candidate);
    return candidate;
  };
  if (app.container?.portMappings && app.container.portMappings.length > 0) {
    app.container.portMappings.forEach((mapping, index) => {
      if (mapping.servicePort === 0) mapping.servicePort = next(index);
    });
    return;
  }
  (app.portDefinitions ?? []).forEach((definition, index) => {
    if (definition.port === 0) definition.port = next(index);
  });
}
