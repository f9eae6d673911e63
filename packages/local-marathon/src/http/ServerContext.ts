import { AppStore } from '../model/AppStore';
import { Scheduler } from '../runtime/Scheduler';
import { AppService, ApiCaller } from '../core/AppService';
import { EventBus } from '../events/EventBus';
import { SandboxLayout } from '../files/sandboxLayout';
import { AppInfoSources } from '../api/renderAppInfo';
import { DeploymentPlan } from '../deployments/DeploymentPlan';
import { RequestContext, RouteResult } from './router';

/** What route handlers need from the running server. */
export interface ServerContext {
  store: AppStore;
  scheduler: Scheduler;
  service: AppService;
  events: EventBus;
  layout: SandboxLayout;
  /** Host tasks run on, as reported in task JSON and $HOST. */
  taskHost: string;
  /** `host:port` of this server, the "leader". */
  leader: string;
  httpPort: number;
  stepTimeoutMs: number;
  portRange: { min: number; max: number };
  appInfoSources(): AppInfoSources;
}

export function callerOf(context: RequestContext): ApiCaller {
  return {
    clientIp: context.req.socket.remoteAddress ?? '',
    uri: context.url.pathname,
  };
}

/** `{version, deploymentId}` with the Marathon-Deployment-Id header. */
export function deploymentResult(
  plan: DeploymentPlan,
  status = 200,
  headers: Record<string, string> = {},
): RouteResult {
  return {
    status,
    body: { version: plan.version, deploymentId: plan.id },
    headers: { 'Marathon-Deployment-Id': plan.id, ...headers },
  };
}
