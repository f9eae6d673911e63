import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { spawn } from 'node:child_process';

/** `ignored`: an informational (1xx) answer with ignoreHttp1xx set leaves the health unchanged. */
export type ProbeOutcome =
  | { healthy: true }
  | { healthy: false; cause: string }
  | { ignored: true };

export function probeHttp(options: {
  secure: boolean;
  host: string;
  port: number;
  path: string;
  timeoutMs: number;
  ignoreHttp1xx: boolean;
}): Promise<ProbeOutcome> {
  return new Promise(resolve => {
    const client = options.secure ? https : http;
    const request = client.get(
      {
        host: options.host,
        port: options.port,
        path: options.path,
        timeout: options.timeoutMs,
        // Marathon does not verify certificates of health check endpoints.
        rejectUnauthorized: false,
        agent: false,
        headers: { 'User-Agent': 'local-marathon health check' },
      },
      response => {
        response.resume();
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 400) resolve({ healthy: true });
        else if (status < 200 && options.ignoreHttp1xx)
          resolve({ ignored: true });
        else
          resolve({
            healthy: false,
            cause: `${status} ${response.statusMessage ?? ''}`.trim(),
          });
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error('Request timed out')),
    );
    request.on('error', error =>
      resolve({ healthy: false, cause: error.message }),
    );
  });
}

export function probeTcp(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  return new Promise(resolve => {
    const socket = net.connect({ host, port });
    const finish = (outcome: ProbeOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () =>
      finish({ healthy: false, cause: 'Connection timed out' }),
    );
    socket.once('connect', () => finish({ healthy: true }));
    socket.once('error', error =>
      finish({ healthy: false, cause: error.message }),
    );
  });
}

/** A COMMAND check: `/bin/sh -c value` in the task's sandbox with the task's environment. */
export function probeCommand(options: {
  command: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
}): Promise<ProbeOutcome> {
  return new Promise(resolve => {
    const child = spawn('/bin/sh', ['-c', options.command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: 'ignore',
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, options.timeoutMs);
    child.once('error', error => {
      clearTimeout(timer);
      resolve({ healthy: false, cause: error.message });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ healthy: true });
      else if (signal)
        resolve({
          healthy: false,
          cause: `Command timed out after ${options.timeoutMs / 1000}s`,
        });
      else
        resolve({
          healthy: false,
          cause: `Command exited with status ${code}`,
        });
    });
  });
}
