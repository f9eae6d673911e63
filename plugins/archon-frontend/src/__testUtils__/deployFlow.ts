import type {
  DeployFlow,
  DeployFlowStatusEnum,
  DeployPlan,
  DeployRequest,
} from '@archon/plugin-archon-common';
import { http, HttpResponse } from 'msw';
import { BASE, sseResponse } from './index';

/** Which deploy a test follows: its release id, target, path and start. */
export interface DeployFixture {
  id: string;
  instance: string;
  configPath: string;
  startedAt: string;
}

/** The deploy flow as the API answers it; `outcome` once it succeeded. */
export function deployFlow(
  f: DeployFixture,
  status: DeployFlowStatusEnum,
): DeployFlow {
  return {
    id: f.id,
    kind: 'deploy',
    status,
    instance: f.instance,
    targetKind: 'marathon',
    workloadId: f.configPath,
    configPath: f.configPath,
    actor: 'user:default/guest',
    startedAt: f.startedAt,
    releaseId: f.id,
    progress: [],
    ...(status === 'succeeded' ? { outcome: { result: 'succeeded' } } : {}),
  };
}

/**
 * One deploy of a new app that succeeds: `POST /deployments` answers a dry
 * run with the plan (the app does not exist, `instances` added) and a deploy
 * with 202 and the running flow, whose events are one progress message,
 * "Marathon deployment <message id> succeeded", and the result. Each posted
 * body is pushed to `posted`.
 */
export function deployHandlers(
  f: DeployFixture,
  posted: Array<Partial<DeployRequest>>,
  message: string,
) {
  return [
    http.post(`${BASE}/deployments`, async ({ request }) => {
      const body = (await request.json()) as Partial<DeployRequest>;
      posted.push(body);
      if (body.dryRun) {
        const plan: DeployPlan = {
          dryRun: true,
          instance: body.instance ?? f.instance,
          targetKind: 'marathon',
          configPath: f.configPath,
          workloadId: f.configPath,
          definition: { id: f.configPath },
          exists: false,
          changes: [{ field: 'instances', change: 'added', after: 1 }],
        };
        return HttpResponse.json(plan);
      }
      return HttpResponse.json(deployFlow(f, 'running'), { status: 202 });
    }),
    http.get(`${BASE}/deployments/${f.id}/events`, () =>
      sseResponse([
        {
          event: 'progress',
          data: { seq: 1, at: f.startedAt, type: 'info', message },
        },
        { event: 'result', data: deployFlow(f, 'succeeded') },
      ]),
    ),
  ];
}
