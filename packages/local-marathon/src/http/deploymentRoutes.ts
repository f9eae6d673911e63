import { RunningDeployment } from '../deployments/DeploymentManager';
import { renderStep } from '../deployments/DeploymentPlan';
import { boolParam } from './params';
import { Router } from './router';
import { deploymentResult, ServerContext } from './ServerContext';

/** A running deployment as `raml.DeploymentStepInfo`; `currentStep` is 1-based. */
export function renderDeployment(
  deployment: RunningDeployment,
): Record<string, unknown> {
  const { plan } = deployment;
  const step = plan.steps[deployment.stepIndex];
  return {
    id: plan.id,
    version: plan.version,
    affectedApps: plan.affectedApps,
    affectedPods: [],
    steps: plan.steps.map(renderStep),
    currentActions: (step?.actions ?? []).map(action => ({
      action: action.action,
      app: action.app,
      readinessCheckResults: [],
    })),
    currentStep: Math.min(deployment.stepIndex + 1, plan.steps.length),
    totalSteps: plan.steps.length,
  };
}

/** /v2/deployments (server: DeploymentsResource). */
export function registerDeploymentRoutes(
  router: Router,
  server: ServerContext,
): void {
  router
    .add('GET', /^\/v2\/deployments\/?$/, () => ({
      status: 200,
      body: server.service.deployments.list().map(renderDeployment),
    }))
    .add('DELETE', /^\/v2\/deployments\/([^/]+)$/, context => {
      const force = boolParam(context.query, 'force', false);
      const rollback = server.service.cancelOrRollback(
        context.params[0],
        force,
      );
      // force=true cancels without a rollback: 202 Accepted, no body.
      return rollback ? deploymentResult(rollback) : { status: 202 };
    });
}
