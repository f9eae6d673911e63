import type { MarathonApp } from '../client/types';

/** One public route an app's labels ask a load balancer for. */
export interface GatewayRoute {
  source: 'marathon-lb' | 'traefik';
  instance: string;
  appId: string;
  /** The app's port (service port index) the route leads to. */
  portIndex?: number;
  servicePort?: number;
  /** marathon-lb group (`external`, `*` when none) or Traefik entry points. */
  entry: string;
  vhost?: string;
  path?: string;
  /** Where the load balancer listens for this route (tcp / vhost-less http). */
  port?: number;
  mode: 'http' | 'tcp';
  /** Precedence among overlapping routes, larger first (BACKEND_WEIGHT, Traefik priority). */
  weight: number;
  /** The labels the route comes from. */
  rule: string;
}

const TRUE = /^(true|t|yes|y)$/i;

function servicePorts(app: MarathonApp): Array<number | undefined> {
  if (app.container?.portMappings?.length)
    return app.container.portMappings.map(p => p.servicePort);
  return (app.portDefinitions ?? []).map(p => p.port);
}

function httpHealthOn(app: MarathonApp, index: number): boolean {
  return (app.healthChecks ?? []).some(
    h =>
      (h.portIndex ?? 0) === index &&
      /^(MESOS_)?HTTPS?$/.test(h.protocol ?? 'HTTP'),
  );
}

/**
 * marathon-lb's labels (see marathon-lb-labels.md): per service port `n`,
 * `HAPROXY_{n}_VHOST` (comma list), `HAPROXY_{n}_PATH` (space list, flags
 * like `-i` ignored; only with a VHOST), `HAPROXY_{n}_GROUP` or
 * `HAPROXY_GROUP`, `HAPROXY_{n}_PORT` (else the service port),
 * `HAPROXY_{n}_MODE` (`http` with a VHOST or an HTTP health check, else
 * `tcp`), `HAPROXY_{n}_BACKEND_WEIGHT` (default 1 with a PATH, else 0). An
 * app takes part when it names a group or a VHOST.
 */
export function marathonLbRoutes(
  instance: string,
  app: MarathonApp,
): GatewayRoute[] {
  const labels = app.labels ?? {};
  if (!Object.keys(labels).some(k => k.startsWith('HAPROXY_'))) return [];
  const ports = servicePorts(app);
  const routes: GatewayRoute[] = [];
  const count = Math.max(
    ports.length,
    ...Object.keys(labels).map(
      k => Number(/^HAPROXY_(\d+)_/.exec(k)?.[1] ?? -1) + 1,
    ),
  );
  for (let n = 0; n < count; n++) {
    const get = (name: string) => labels[`HAPROXY_${n}_${name}`];
    const group = get('GROUP') ?? labels.HAPROXY_GROUP;
    const vhosts = (get('VHOST') ?? '')
      .split(',')
      .map(v => v.trim().toLowerCase())
      .filter(Boolean);
    if (!group && vhosts.length === 0) continue;
    const paths = (get('PATH') ?? '')
      .split(/\s+/)
      .filter(p => p && !p.startsWith('-'));
    const servicePort = ports[n];
    const bindPort =
      get('PORT') !== undefined ? Number(get('PORT')) : servicePort;
    let mode: 'http' | 'tcp' =
      (get('MODE')?.toLowerCase() as 'http' | 'tcp' | undefined) ??
      (vhosts.length ? 'http' : 'tcp');
    if (httpHealthOn(app, n)) mode = 'http';
    const defaultWeight = paths.length ? 1 : 0;
    const weight =
      get('BACKEND_WEIGHT') !== undefined
        ? Number(get('BACKEND_WEIGHT')) || 0
        : defaultWeight;
    const ruleParts = Object.entries(labels)
      .filter(([k]) => k === 'HAPROXY_GROUP' || k.startsWith(`HAPROXY_${n}_`))
      .filter(([k]) =>
        /GROUP|VHOST|PATH|PORT$|MODE|BACKEND_WEIGHT|ENABLED/.test(k),
      )
      .map(([k, v]) => `${k}=${v}`)
      .sort();
    const base = {
      source: 'marathon-lb' as const,
      instance,
      appId: app.id,
      portIndex: n,
      servicePort,
      entry: group ?? '*',
      port: bindPort,
      mode,
      weight,
      rule: ruleParts.join(' '),
    };
    if (vhosts.length === 0) {
      routes.push(base);
      continue;
    }
    for (const vhost of vhosts) {
      // A PATH without a VHOST is ignored by marathon-lb; with one, each path is an ACL.
      for (const path of paths.length ? paths : [undefined])
        routes.push({ ...base, vhost, path });
    }
  }
  return routes;
}

/** `Host:a,b;PathPrefix:/x` (Traefik v1 rule syntax). */
function parseV1Rule(rule: string): { hosts: string[]; paths: string[] } {
  const hosts: string[] = [];
  const paths: string[] = [];
  for (const part of rule
    .split(';')
    .map(p => p.trim())
    .filter(Boolean)) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const name = part.slice(0, colon).trim().toLowerCase();
    const values = part
      .slice(colon + 1)
      .split(',')
      .map(v => v.trim())
      .filter(Boolean);
    if (name === 'host') hosts.push(...values.map(v => v.toLowerCase()));
    else if (
      ['path', 'pathprefix', 'pathprefixstrip', 'pathstrip'].includes(name)
    )
      paths.push(...values);
  }
  return { hosts, paths };
}

/** "Host(`a`, `b`) && PathPrefix(`/x`)" (Traefik v2 rule syntax). */
function parseV2Rule(rule: string): { hosts: string[]; paths: string[] } {
  const args = (fn: string) =>
    [...rule.matchAll(new RegExp(`${fn}\\(([^)]*)\\)`, 'g'))].flatMap(m =>
      [...m[1].matchAll(/`([^`]*)`|"([^"]*)"/g)].map(a => a[1] ?? a[2]),
    );
  return {
    hosts: [...args('Host'), ...args('HostSNI')].map(h => h.toLowerCase()),
    paths: [...args('PathPrefix'), ...args('Path')],
  };
}

/**
 * Traefik's Marathon labels. v1: `traefik.frontend.rule`
 * (`Host:a.example.com;PathPrefix:/api`), `traefik.portIndex` /
 * `traefik.port`, `traefik.frontend.entryPoints`, `traefik.frontend.priority`,
 * and the same under `traefik.<service>.` for several services per app. v2:
 * `traefik.http.routers.<r>.rule` (``Host(`a`) && PathPrefix(`/x`)``),
 * `.entrypoints`, `.priority`, `.service` →
 * `traefik.http.services.<s>.loadbalancer.server.port`, and
 * `traefik.tcp.routers.<r>.rule` (`HostSNI`). `traefik.enable=false` turns
 * an app off. Precedence is the priority, else the rule's length (Traefik's
 * default).
 */
export function traefikRoutes(
  instance: string,
  app: MarathonApp,
): GatewayRoute[] {
  const labels = app.labels ?? {};
  if (
    labels['traefik.enable'] !== undefined &&
    !TRUE.test(labels['traefik.enable'])
  )
    return [];
  const ports = servicePorts(app);
  const routes: GatewayRoute[] = [];

  // v1: the app's own frontend, and one per named service.
  const v1Services = new Set<string>(['']);
  for (const key of Object.keys(labels)) {
    const m = /^traefik\.([^.]+)\.frontend\.rule$/.exec(key);
    if (m && m[1] !== 'frontend') v1Services.add(`${m[1]}.`);
  }
  for (const svc of v1Services) {
    const rule = labels[`traefik.${svc}frontend.rule`];
    if (!rule) continue;
    const { hosts, paths } = parseV1Rule(rule);
    const portIndex =
      labels[`traefik.${svc}portIndex`] !== undefined
        ? Number(labels[`traefik.${svc}portIndex`])
        : 0;
    const port =
      labels[`traefik.${svc}port`] !== undefined
        ? Number(labels[`traefik.${svc}port`])
        : undefined;
    const priority = labels[`traefik.${svc}frontend.priority`];
    const base = {
      source: 'traefik' as const,
      instance,
      appId: app.id,
      portIndex,
      servicePort: port ?? ports[portIndex],
      entry:
        labels[`traefik.${svc}frontend.entryPoints`] ??
        labels['traefik.frontend.entryPoints'] ??
        'default',
      mode: 'http' as const,
      weight: priority !== undefined ? Number(priority) || 0 : rule.length,
      rule: `traefik.${svc}frontend.rule=${rule}`,
    };
    for (const vhost of hosts.length ? hosts : [undefined]) {
      for (const path of paths.length ? paths : [undefined])
        routes.push({ ...base, vhost, path });
    }
  }

  // v2 routers.
  for (const key of Object.keys(labels)) {
    const m = /^traefik\.(http|tcp)\.routers\.([^.]+)\.rule$/.exec(key);
    if (!m) continue;
    const [, kind, router] = m;
    const rule = labels[key];
    const { hosts, paths } = parseV2Rule(rule);
    const prefix = `traefik.${kind}.routers.${router}`;
    const service = labels[`${prefix}.service`] ?? router;
    const portLabel =
      labels[`traefik.${kind}.services.${service}.loadbalancer.server.port`];
    const priority = labels[`${prefix}.priority`];
    const base = {
      source: 'traefik' as const,
      instance,
      appId: app.id,
      servicePort: portLabel !== undefined ? Number(portLabel) : ports[0],
      portIndex: portLabel === undefined ? 0 : undefined,
      entry: labels[`${prefix}.entrypoints`] ?? 'default',
      mode: kind as 'http' | 'tcp',
      weight: priority !== undefined ? Number(priority) || 0 : rule.length,
      rule: `${key}=${rule}`,
    };
    for (const vhost of hosts.length ? hosts : [undefined]) {
      for (const path of paths.length ? paths : [undefined])
        routes.push({ ...base, vhost, path });
    }
  }
  return routes;
}

export function routesOf(instance: string, app: MarathonApp): GatewayRoute[] {
  return [...marathonLbRoutes(instance, app), ...traefikRoutes(instance, app)];
}

export interface GatewayConflict {
  key: string;
  vhost?: string;
  path?: string;
  port?: number;
  routes: GatewayRoute[];
}

/**
 * Two or more apps claiming the same thing on one load balancer: the same
 * vhost and path (http), or the same listening port without a vhost. Which
 * one gets the traffic then depends on rule order, the bug of marathon-lb
 * #99 and Traefik #10918.
 */
export function findConflicts(routes: GatewayRoute[]): GatewayConflict[] {
  const groups = new Map<string, GatewayRoute[]>();
  for (const route of routes) {
    let target: string;
    if (route.vhost) target = `host ${route.vhost}${route.path ?? '/'}`;
    else if (route.port !== undefined) target = `port ${route.port}`;
    else continue;
    const key = `${route.source} ${route.entry}: ${target}`;
    groups.set(key, [...(groups.get(key) ?? []), route]);
  }
  return [...groups.entries()]
    .filter(
      ([, rs]) => new Set(rs.map(r => `${r.instance}${r.appId}`)).size > 1,
    )
    .map(([key, rs]) => ({
      key,
      vhost: rs[0].vhost,
      path: rs[0].path ?? (rs[0].vhost ? '/' : undefined),
      port: rs[0].vhost ? undefined : rs[0].port,
      routes: rs,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return false;
}

/**
 * Which route serves a URL: routes whose vhost matches the host (or that
 * listen on the URL's port without a vhost) and whose path is a prefix of
 * the URL's path; the highest weight wins, then the longest path (as
 * marathon-lb orders its ACLs, and Traefik its priorities).
 */
export function resolveUrl(routes: GatewayRoute[], url: URL) {
  const host = url.hostname.toLowerCase();
  const defaultPort = url.protocol === 'https:' ? 443 : 80;
  const port = url.port ? Number(url.port) : defaultPort;
  const path = url.pathname || '/';
  const candidates = routes
    .filter(r =>
      r.vhost
        ? hostMatches(r.vhost, host) && path.startsWith(r.path ?? '/')
        : r.port !== undefined &&
          r.port === port &&
          path.startsWith(r.path ?? '/'),
    )
    .sort(
      (a, b) =>
        Number(!!b.vhost) - Number(!!a.vhost) ||
        b.weight - a.weight ||
        (b.path ?? '/').length - (a.path ?? '/').length ||
        `${a.instance}${a.appId}`.localeCompare(`${b.instance}${b.appId}`),
    );
  const match = candidates[0];
  if (!match) {
    return {
      url: url.toString(),
      candidates,
      explanation: `No route matches host ${host}, port ${port} and path ${path}.`,
    };
  }
  const rivals = candidates.filter(
    c =>
      c !== match &&
      c.weight === match.weight &&
      (c.path ?? '/') === (match.path ?? '/') &&
      c.vhost === match.vhost &&
      c.appId !== match.appId,
  );
  const via = match.vhost
    ? `vhost ${match.vhost}${match.path ? ` path ${match.path}` : ''}`
    : `port ${match.port}`;
  let explanation = `${url.toString()} is served by ${match.appId} on "${
    match.instance
  }" (${match.source}, ${match.entry}, ${via}, rule ${match.rule}, weight ${
    match.weight
  })`;
  if (rivals.length) {
    explanation += `; CONFLICT: ${rivals.map(r => r.appId).join(', ')} claim${
      rivals.length === 1 ? 's' : ''
    } the same ${via} with the same weight, so the load balancer's rule order decides`;
  } else if (candidates.length > 1) {
    explanation += `; ${
      candidates.length - 1
    } other route(s) also match but have lower precedence: ${candidates
      .slice(1)
      .map(c => c.appId + (c.path ? c.path : ''))
      .join(', ')}`;
  }
  return { url: url.toString(), match, candidates, explanation };
}
