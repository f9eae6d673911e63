import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ArchonApiClient } from '@archon/plugin-archon-common';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';

/** What every archon action needs from the backend. */
export interface ArchonActionDeps {
  auth: AuthService;
  discovery: DiscoveryService;
  /** `archon.secrets.keyPatterns`: which keys are masked in step logs (archon-common's defaults when omitted). */
  secretPatterns?: readonly string[];
}

/** The generated client plus a token that acts as the template's initiator. */
export interface ArchonCall {
  client: ArchonApiClient;
  token: string;
}

/**
 * A client and a token on behalf of the user who runs the template, so
 * archon's permission policy and audit log see that user, not the scaffolder.
 */
export async function archonCallFor(
  deps: ArchonActionDeps,
  ctx: Pick<ActionContext<any>, 'getInitiatorCredentials'>,
): Promise<ArchonCall> {
  const onBehalfOf = await ctx.getInitiatorCredentials();
  const { token } = await deps.auth.getPluginRequestToken({
    onBehalfOf,
    targetPluginId: 'archon',
  });
  return {
    client: new ArchonApiClient({ discoveryApi: deps.discovery }),
    token,
  };
}

/** An answer from archon that was not 2xx; the message is archon's own. */
export class ArchonApiError extends Error {
  constructor(
    readonly status: number,
    readonly apiMessage: string,
    readonly body: unknown,
  ) {
    super(`archon answered ${status}: ${apiMessage}`);
    this.name = 'ArchonApiError';
  }
}

/**
 * The JSON body of a 2xx response, or an ArchonApiError carrying the API's
 * error message verbatim (Backstage's error shape `{error: {name, message}}`).
 */
export async function expectOk<T>(response: {
  ok: boolean;
  status: number;
  text(): Promise<string>;
}): Promise<T> {
  const text = await response.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (!response.ok) {
    const message =
      typeof body?.error?.message === 'string'
        ? body.error.message
        : String(text || `HTTP ${response.status}`);
    throw new ArchonApiError(response.status, message, body);
  }
  return body as T;
}
