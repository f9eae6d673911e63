import net from 'node:net';
import { ClusterError } from './errors';
import { PORT_ENV, PortName } from './settings';

export const LOOPBACK = '127.0.0.1';

/**
 * True when nothing listens on host:port. Binding is the only reliable test: a
 * listener on 0.0.0.0 or [::] also makes a 127.0.0.1 bind fail with EADDRINUSE.
 */
export function isPortFree(
  port: number,
  host: string = LOOPBACK,
): Promise<boolean> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/** A port the kernel says is free right now (used for the AdminServer fallback and in tests). */
export function findFreePort(host: string = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() =>
        port ? resolve(port) : reject(new Error('no free port')),
      );
    });
  });
}

/** One port a service is about to bind, with what to tell the user if it is taken. */
export interface PortClaim {
  port: number;
  /** e.g. "ZooKeeper client port" */
  label: string;
  setting: PortName;
}

export function portTakenMessage(claim: PortClaim): string {
  return `port ${claim.port} (${
    claim.label
  }) is already in use by another program; set ${
    PORT_ENV[claim.setting]
  } to a free port`;
}

/** Throws a one-line ClusterError naming the first taken port and its env var. */
export async function assertPortsFree(claims: PortClaim[]): Promise<void> {
  for (const claim of claims) {
    if (!(await isPortFree(claim.port))) {
      throw new ClusterError(portTakenMessage(claim));
    }
  }
}
