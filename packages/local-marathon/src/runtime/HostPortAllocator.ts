import net from 'node:net';

export interface PortRange {
  min: number;
  max: number;
}

/** True if nothing listens on `port` on the loopback interface right now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise(resolve => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () =>
      probe.close(() => resolve(true)),
    );
  });
}

/**
 * Hands out host ports for tasks from the agent's port range (Mesos offers ports
 * 31000-32000 by default). A port is given out only if no live task holds it and it can
 * be bound right now. The cursor rotates so that a port freed by a killed task is not
 * immediately reused by its replacement.
 */
export class HostPortAllocator {
  private readonly held = new Set<number>();
  private cursor: number;

  constructor(private readonly range: PortRange) {
    this.cursor = range.min;
  }

  async allocate(count: number): Promise<number[] | undefined> {
    const ports: number[] = [];
    const size = this.range.max - this.range.min + 1;
    for (let tried = 0; tried < size && ports.length < count; tried++) {
      const port = this.cursor;
      this.cursor = port >= this.range.max ? this.range.min : port + 1;
      if (this.held.has(port) || ports.includes(port)) continue;
      if (await isPortFree(port)) ports.push(port);
    }
    if (ports.length < count) return undefined;
    ports.forEach(port => this.held.add(port));
    return ports;
  }

  /** Reserves fixed ports (requirePorts); undefined if one of them is busy. */
  async claim(ports: number[]): Promise<number[] | undefined> {
    for (const port of ports) {
      if (this.held.has(port) || !(await isPortFree(port))) return undefined;
    }
    ports.forEach(port => this.held.add(port));
    return ports;
  }

  /**
   * One host port per request, in order: 0 means "any free port", anything else that exact
   * port. Undefined (and nothing held) if a port cannot be had.
   */
  async acquire(requests: number[]): Promise<number[] | undefined> {
    const fixed = await this.claim(requests.filter(port => port !== 0));
    if (!fixed) return undefined;
    const dynamic = await this.allocate(
      requests.filter(port => port === 0).length,
    );
    if (!dynamic) {
      this.release(fixed);
      return undefined;
    }
    return requests.map(port => (port === 0 ? dynamic.shift()! : port));
  }

  release(ports: number[]): void {
    ports.forEach(port => this.held.delete(port));
  }
}
