import crypto from 'node:crypto';
import http from 'node:http';
import { CliError } from './errors';
import { ExitCode } from './exitCodes';

/*
 * The client half of Backstage's OIDC provider (@backstage/plugin-auth-backend:
 * /api/auth/v1/authorize, /v1/token, /v1/revoke, /v1/userinfo), as
 * @backstage/cli-module-auth's `backstage-cli auth login` uses it: a public
 * client identified by the backend's own client-ID metadata document
 * (`<issuer>/.well-known/oauth-client/cli.json`, enabled by
 * `auth.clientIdMetadataDocuments`), authorization code + PKCE (S256), a
 * loopback redirect on 127.0.0.1 (any port: the provider matches loopback
 * redirects without the port), and refresh tokens with `offline_access`
 * (`auth.experimentalRefreshToken`).
 */

/** What the CLI stores for a signed-in user in a context. */
export interface UserSession {
  /** e.g. `user:default/guest` (the token's `sub`). */
  userEntityRef: string;
  accessToken: string;
  refreshToken?: string;
  /** ISO time the access token expires. */
  expiresAt: string;
  /** The client ID the tokens were issued to (needed to refresh and revoke). */
  clientId: string;
  /** The provider's token and revocation endpoints. */
  tokenEndpoint: string;
  revocationEndpoint?: string;
}

export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  revocation_endpoint?: string;
  client_id_metadata_document_supported?: boolean;
  grant_types_supported?: string[];
}

interface TokenAnswer {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
}

const TIMEOUT_MS = 30_000;

/** The backend's OIDC provider metadata; a clear error when sign-in is not enabled there. */
export async function discoverProvider(
  backendUrl: string,
): Promise<ProviderMetadata> {
  const url = `${backendUrl}/api/auth/.well-known/openid-configuration`;
  const metadata = await getJson<ProviderMetadata>(url);
  if (!metadata.client_id_metadata_document_supported) {
    throw new CliError(
      `${backendUrl} does not offer CLI sign-in: its auth backend has client-ID metadata documents disabled`,
      ExitCode.Auth,
      [
        '  the backend needs auth.clientIdMetadataDocuments.enabled: true (see app-config.production.yaml)',
        '  or use a static token: archon context add <name> <url> --token-stdin',
      ],
    );
  }
  return metadata;
}

/** The client ID of the CLI: the backend's own metadata document for CLIs. */
export function cliClientId(metadata: ProviderMetadata): string {
  return `${metadata.issuer}/.well-known/oauth-client/cli.json`;
}

export function createPkce() {
  const verifier = crypto.randomBytes(48).toString('base64url');
  const challenge = crypto
    .createHash('sha256')
    .update(verifier)
    .digest('base64url');
  const state = crypto.randomBytes(24).toString('hex');
  return { verifier, challenge, state };
}

export function authorizeUrl(
  metadata: ProviderMetadata,
  options: {
    clientId: string;
    redirectUri: string;
    state: string;
    challenge: string;
  },
): string {
  const url = new URL(metadata.authorization_endpoint);
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', options.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'openid offline_access');
  url.searchParams.set('state', options.state);
  url.searchParams.set('code_challenge', options.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

export interface CallbackServer {
  redirectUri: string;
  /** Resolves with the code once the browser comes back with the expected state. */
  code: Promise<string>;
  close(): Promise<void>;
}

/**
 * The loopback redirect target on 127.0.0.1 and a free port. A callback with
 * another state is refused (400) and does not end the wait; one with an
 * `error` (the user denied) ends it with that error.
 */
export async function startCallbackServer(
  state: string,
): Promise<CallbackServer> {
  let settle!: {
    resolve: (code: string) => void;
    reject: (error: Error) => void;
  };
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end('Not found');
      return;
    }
    if (url.searchParams.get('state') !== state) {
      res
        .writeHead(400)
        .end('This sign-in link does not belong to the waiting archon login.');
      return;
    }
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    const error = url.searchParams.get('error');
    if (error) {
      res
        .writeHead(200)
        .end('Sign-in was not completed. You may close this window.');
      settle.reject(
        new CliError(
          `sign-in was refused: ${
            url.searchParams.get('error_description') ?? error
          }`,
          ExitCode.Auth,
        ),
      );
      return;
    }
    const given = url.searchParams.get('code');
    if (!given) {
      res.writeHead(400).end('The callback has no code.');
      return;
    }
    res
      .writeHead(200)
      .end(
        'Signed in to archon. You may close this window and return to the terminal.',
      );
    settle.resolve(given);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    code,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function exchangeCode(
  metadata: ProviderMetadata,
  options: {
    clientId: string;
    code: string;
    redirectUri: string;
    verifier: string;
  },
): Promise<UserSession> {
  const answer = await postJson<TokenAnswer>(metadata.token_endpoint, {
    grant_type: 'authorization_code',
    client_id: options.clientId,
    code: options.code,
    redirect_uri: options.redirectUri,
    code_verifier: options.verifier,
  });
  return sessionOf(answer, {
    clientId: options.clientId,
    tokenEndpoint: metadata.token_endpoint,
    revocationEndpoint: metadata.revocation_endpoint,
  });
}

/** A new access token (and the rotated refresh token) for a stored session. */
export async function refreshSession(
  session: UserSession,
): Promise<UserSession> {
  if (!session.refreshToken) {
    throw new CliError(
      `the sign-in of ${session.userEntityRef} expired and has no refresh token`,
      ExitCode.Auth,
      ['  sign in again: archon login'],
    );
  }
  const answer = await postJson<TokenAnswer>(session.tokenEndpoint, {
    grant_type: 'refresh_token',
    client_id: session.clientId,
    refresh_token: session.refreshToken,
  }).catch(error => {
    throw new CliError(
      `could not renew the sign-in of ${session.userEntityRef}: ${
        (error as Error).message
      }`,
      ExitCode.Auth,
      ['  sign in again: archon login'],
    );
  });
  return sessionOf(answer, session);
}

/** Revokes the session's refresh token at the provider (the access token expires on its own). */
export async function revokeSession(session: UserSession): Promise<void> {
  if (!session.refreshToken || !session.revocationEndpoint) return;
  const res = await fetch(session.revocationEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      token: session.refreshToken,
      token_type_hint: 'refresh_token',
      client_id: session.clientId,
    }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok)
    throw new CliError(
      `the backend refused to revoke the sign-in: ${
        res.status
      } ${await res.text()}`,
      ExitCode.Auth,
    );
}

/** The signed-in user's entity ref and ownership refs, as Backstage resolves them. */
export async function userInfo(
  backendUrl: string,
  token: string,
): Promise<{ userEntityRef: string; ownershipEntityRefs: string[] }> {
  const res = await fetch(`${backendUrl}/api/auth/v1/userinfo`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok) {
    throw new CliError(
      `the backend did not accept the token as a user's: ${res.status} ${(
        await res.text()
      ).slice(0, 200)}`,
      ExitCode.Auth,
    );
  }
  // The auth backend answers with the claims it issued at sign-in: `sub` (the user) and `ent` (what they own).
  const { claims } = (await res.json()) as {
    claims?: { sub?: string; ent?: string[] };
  };
  if (typeof claims?.sub !== 'string')
    throw new CliError(
      'the backend answered who you are without naming a user',
    );
  return {
    userEntityRef: claims.sub,
    ownershipEntityRefs: claims.ent ?? [claims.sub],
  };
}

/** Whether the access token is expired or expires within the next minute. */
export function isDue(session: UserSession, now = Date.now()): boolean {
  return Date.parse(session.expiresAt) - 60_000 <= now;
}

function sessionOf(
  answer: TokenAnswer,
  client: Pick<
    UserSession,
    'clientId' | 'tokenEndpoint' | 'revocationEndpoint' | 'refreshToken'
  >,
): UserSession {
  return {
    userEntityRef: subjectOf(answer.access_token),
    accessToken: answer.access_token,
    // The provider rotates refresh tokens; keep the old one only if it sent none.
    refreshToken: answer.refresh_token ?? client.refreshToken,
    expiresAt: new Date(Date.now() + answer.expires_in * 1000).toISOString(),
    clientId: client.clientId,
    tokenEndpoint: client.tokenEndpoint,
    ...(client.revocationEndpoint && {
      revocationEndpoint: client.revocationEndpoint,
    }),
  };
}

/** The `sub` of a Backstage user token (a JWT); only read, the backend verifies it. */
function subjectOf(token: string): string {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1], 'base64url').toString('utf8'),
    );
    if (typeof payload.sub === 'string') return payload.sub;
  } catch {
    // not a JWT
  }
  throw new CliError('the backend answered with a token that names no user');
}

async function getJson<T>(url: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new CliError(
      `cannot reach ${url}: ${(error as Error).message}`,
      ExitCode.Unreachable,
    );
  }
  if (!res.ok)
    throw new CliError(
      `${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`,
      ExitCode.Auth,
    );
  return (await res.json()) as T;
}

async function postJson<T>(
  url: string,
  body: Record<string, string>,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new CliError(
      `cannot reach ${url}: ${(error as Error).message}`,
      ExitCode.Unreachable,
    );
  }
  const text = await res.text();
  if (!res.ok) {
    let reason = text.slice(0, 200);
    try {
      const parsed = JSON.parse(text);
      reason =
        parsed.error_description ??
        parsed.error?.message ??
        parsed.error ??
        reason;
    } catch {
      // not JSON
    }
    throw new CliError(`${url} refused: ${reason}`, ExitCode.Auth);
  }
  return JSON.parse(text) as T;
}
