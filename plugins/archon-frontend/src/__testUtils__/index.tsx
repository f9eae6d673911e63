import { waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { Entity } from '@backstage/catalog-model';
import type { RouteRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { ArchonApiClient } from '@archon/plugin-archon-common';
import { http, HttpResponse } from 'msw';
import { archonApiRef } from '../api';

/** The base URL the test client calls; msw answers it. */
export const BASE = 'http://archon.test/api/archon';

export const testClient = new ArchonApiClient({
  discoveryApi: { getBaseUrl: async () => BASE },
  fetchApi: { fetch: (...args) => fetch(...args) },
});

/** Everything allowed, nothing, or a decision per request (e.g. per cluster). */
export type PermissionDecisions =
  | 'allow'
  | 'deny'
  | ((request: {
      permission: { name: string };
      resourceRef?: string;
    }) => AuthorizeResult.ALLOW | AuthorizeResult.DENY);

/** Renders an element in a test app with the archon client and a catalog. */
export function renderArchon(
  element: ReactElement,
  options: {
    entities?: Entity[];
    mountedRoutes?: { [path: string]: RouteRef };
    initialRouteEntries?: string[];
    /** Where the element is mounted (a page's path, for its route params). */
    mountPath?: string;
    /**
     * Whether the permission policy allows everything (default) or nothing,
     * or a decision per request (e.g. per cluster's resource ref).
     */
    permissions?: PermissionDecisions;
    /** The fetchApi's underlying fetch (to watch what a component sends past the client). */
    fetch?: typeof globalThis.fetch;
  } = {},
) {
  return renderInTestApp(element, {
    apis: [
      [archonApiRef, testClient],
      // Components that fetch past the generated client reach the same base URL.
      mockApis.discovery({ baseUrl: new URL(BASE).origin }),
      mockApis.fetch({ baseImplementation: options.fetch }),
      [catalogApiRef, catalogApiMock({ entities: options.entities ?? [] })],
      mockApis.permission({
        authorize: decisionsOf(options.permissions),
      }),
    ],
    mountedRoutes: options.mountedRoutes,
    initialRouteEntries: options.initialRouteEntries,
    mountPath: options.mountPath,
  });
}

/** The mock permission API's answers: everything, nothing, or per request. */
function decisionsOf(permissions?: PermissionDecisions) {
  if (typeof permissions === 'function') return permissions;
  return permissions === 'deny' ? AuthorizeResult.DENY : AuthorizeResult.ALLOW;
}

/** `/health` with every system up (or the given ones). */
export function healthHandler(systems: unknown[] = []) {
  return http.get(`${BASE}/health`, () =>
    HttpResponse.json({
      status: systems.length ? 'degraded' : 'up',
      checkedAt: '2026-11-24T00:00:00.000Z',
      systems,
    }),
  );
}

/** Backstage's error body. */
export function errorBody(
  status: number,
  name: string,
  message: string,
  extra: object = {},
) {
  return HttpResponse.json(
    {
      error: { name, message, ...extra },
      request: { method: 'GET', url: '/' },
      response: { statusCode: status },
    },
    { status },
  );
}

/** The config path of a `/config/.../:configPath` request, decoded. */
export function configPathParam(params: Record<string, unknown>): string {
  return `/${decodeURIComponent(String(params.configPath))}`;
}

/** A Server-Sent Events answer with the given events (then the stream ends). */
export function sseResponse(events: Array<{ event: string; data: unknown }>) {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(': keep-alive\n\n'));
      for (const e of events) {
        controller.enqueue(
          encoder.encode(
            `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`,
          ),
        );
      }
      controller.close();
    },
  });
  return new HttpResponse(stream, {
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8' },
  });
}

/** An app Component as archon's Marathon provider makes it. */
export function appEntity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'local.team.svc-1', annotations },
    spec: { type: 'service', owner: 'team', lifecycle: 'production' },
  };
}

/**
 * Clicks a dialog's confirm button once it is enabled: a dialog shows its
 * last plan while it plans again, with the button disabled meanwhile, and a
 * loaded machine can be that slow (a click then hit `pointer-events: none`).
 */
export async function confirmWith(
  user: { click: (element: Element) => Promise<void> },
  dialog: HTMLElement,
  name: string,
) {
  const button = within(dialog).getByRole('button', { name });
  await waitFor(() => expect(button).toBeEnabled());
  await user.click(button);
}
