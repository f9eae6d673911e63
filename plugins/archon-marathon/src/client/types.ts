/**
 * The parts of Marathon's v2 REST API payloads archon reads (see
 * /work/shared/reference/marathon-api/README.md). Everything else passes
 * through untyped.
 */

export interface MarathonHealthCheckResult {
  alive: boolean;
  consecutiveFailures?: number;
  firstSuccess?: string | null;
  lastSuccess?: string | null;
  lastFailure?: string | null;
  lastFailureCause?: string | null;
  instanceId?: string;
  taskId?: string;
}

export interface MarathonTask {
  id: string;
  appId: string;
  host: string;
  slaveId?: string;
  ports?: number[];
  servicePorts?: number[];
  ipAddresses?: Array<{ ipAddress: string; protocol: string }>;
  stagedAt?: string;
  startedAt?: string;
  version?: string;
  state: string;
  healthCheckResults?: MarathonHealthCheckResult[];
}

export interface MarathonTaskFailure {
  appId: string;
  host: string;
  message: string;
  state: string;
  taskId: string;
  timestamp: string;
  version: string;
  slaveId?: string;
}

export interface MarathonHealthCheck {
  protocol?: string;
  path?: string;
  portIndex?: number;
  port?: number;
  command?: { value: string };
  gracePeriodSeconds?: number;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  maxConsecutiveFailures?: number;
  delaySeconds?: number;
}

export interface MarathonPortDefinition {
  port: number;
  protocol?: string;
  name?: string;
  labels?: Record<string, string>;
}

export interface MarathonPortMapping {
  containerPort: number;
  hostPort?: number;
  servicePort?: number;
  protocol?: string;
  name?: string;
  labels?: Record<string, string>;
}

/** An app definition (input or output); status fields are in {@link MarathonAppInfo}. */
export interface MarathonApp {
  id: string;
  cmd?: string | null;
  args?: string[] | null;
  container?: {
    type?: string;
    docker?: { image?: string; forcePullImage?: boolean };
    portMappings?: MarathonPortMapping[];
    [key: string]: unknown;
  } | null;
  instances?: number;
  cpus?: number;
  mem?: number;
  disk?: number;
  env?: Record<string, string | { secret: string }>;
  labels?: Record<string, string>;
  portDefinitions?: MarathonPortDefinition[];
  healthChecks?: MarathonHealthCheck[];
  constraints?: string[][];
  upgradeStrategy?: {
    minimumHealthCapacity?: number;
    maximumOverCapacity?: number;
  };
  version?: string;
  versionInfo?: { lastScalingAt?: string; lastConfigChangeAt?: string };
  [key: string]: unknown;
}

export interface MarathonAppInfo extends MarathonApp {
  tasksStaged?: number;
  tasksRunning?: number;
  tasksHealthy?: number;
  tasksUnhealthy?: number;
  deployments?: Array<{ id: string }>;
  tasks?: MarathonTask[];
  lastTaskFailure?: MarathonTaskFailure;
}

export interface MarathonDeploymentAction {
  action: string;
  app?: string;
  pod?: string;
  readinessCheckResults?: unknown[];
}

export interface MarathonDeployment {
  id: string;
  version: string;
  affectedApps: string[];
  affectedPods?: string[];
  steps: Array<{ actions: MarathonDeploymentAction[] }>;
  currentActions: MarathonDeploymentAction[];
  currentStep: number;
  totalSteps: number;
}

export interface MarathonDeploymentResult {
  deploymentId: string;
  version: string;
}

export interface MarathonQueueItem {
  app?: MarathonApp;
  pod?: { id: string };
  count: number;
  delay?: { timeLeftSeconds: number; overdue: boolean };
  since?: string;
  processedOffersSummary?: {
    processedOffersCount?: number;
    unusedOffersCount?: number;
    lastUnusedOfferAt?: string;
    lastUsedOfferAt?: string;
    rejectSummaryLastOffers?: Array<{
      reason: string;
      declined: number;
      processed: number;
    }>;
    rejectSummaryLaunchAttempt?: Array<{
      reason: string;
      declined: number;
      processed: number;
    }>;
  };
  lastUnusedOffers?: Array<{
    reason: string[];
    timestamp: string;
    offer?: unknown;
  }>;
}

export interface MarathonGroup {
  id: string;
  apps?: MarathonAppInfo[];
  groups?: MarathonGroup[];
  dependencies?: string[];
  version?: string;
}

export interface MarathonInfo {
  name: string;
  version: string;
  buildref?: string;
  elected?: boolean;
  leader?: string | null;
  frameworkId?: string;
  [key: string]: unknown;
}

/** One frame of `/v2/events`. */
export interface MarathonEvent {
  eventType: string;
  timestamp?: string;
  [key: string]: unknown;
}
