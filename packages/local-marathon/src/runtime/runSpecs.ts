import { AppDefinition } from '../model/types';
import { HostPortAllocator } from './HostPortAllocator';
import { SandboxLayout } from '../files/sandboxLayout';
import { OfferStats } from './offerStats';

export interface SchedulerOptions {
  /** Host name/IP tasks run on (the `host` of tasks, `$HOST`). */
  host: string;
  layout: SandboxLayout;
  ports: HostPortAllocator;
  /** How often queued launches are retried ("offer cycle"). */
  offerIntervalMs: number;
  /** Kill grace period when the app sets no taskKillGracePeriodSeconds. */
  defaultKillGraceMs: number;
  /** How long a finished task's sandbox is kept (Mesos agent gc_delay). */
  sandboxRetentionMs: number;
  /** Finished tasks' sandboxes kept per app at most (the newest). */
  sandboxesPerApp: number;
  /** Base environment of tasks (the agent's environment). */
  baseEnv: Record<string, string>;
  log: (line: string) => void;
}

/** Why a queued instance cannot be launched on this agent right now. */
export type LaunchBlocker = 'NoDockerRuntime' | 'InsufficientPorts';

export const LAUNCH_BLOCKER_MESSAGES: Record<LaunchBlocker, string> = {
  NoDockerRuntime: 'no Docker runtime on this agent: give cmd or args',
  InsufficientPorts: 'the requested host ports are not available on this agent',
};

export interface RunSpecState {
  app: AppDefinition;
  /** Instances with goal Running the scheduler keeps alive. */
  target: number;
  /** Launches whose ports are being allocated (not yet visible as tasks). */
  pending: number;
  /** When the current launch attempt started (queue `since`). */
  since?: string;
  blocker?: LaunchBlocker;
  offers: OfferStats;
}

export interface QueueEntry {
  app: AppDefinition;
  count: number;
  since: string;
  delayMs: number;
  blocker?: LaunchBlocker;
  offers: OfferStats;
}

/** Apps with a container image and nothing to execute cannot run without Docker. */
export function launchBlockerOf(app: AppDefinition): LaunchBlocker | undefined {
  const hasCommand = app.cmd !== undefined || (app.args?.length ?? 0) > 0;
  return hasCommand ? undefined : 'NoDockerRuntime';
}

/**
 * The host ports a task needs, 0 meaning "any": one per port mapping that has a hostPort,
 * or one per port definition (the declared port itself when requirePorts is set).
 */
export function hostPortRequests(app: AppDefinition): number[] {
  const mappings = app.container?.portMappings;
  if (mappings && mappings.length > 0) {
    return mappings.filter(m => m.hostPort !== undefined).map(m => m.hostPort!);
  }
  return (app.portDefinitions ?? []).map(d => (app.requirePorts ? d.port : 0));
}
