/*
 * The private backend seen from inside, through the Node inspector it was
 * started with (startPrivatePortal's inspectPort): its memory (process.memoryUsage() after a
 * full GC) and CPU profiles of a measured step, summarised by self time, so
 * a missed goal comes with where the time went.
 */
import { writeFileSync } from 'node:fs';

type Pending = Map<number, (message: any) => void>;

export class Inspector {
  readonly #socket: WebSocket;
  readonly #pending: Pending = new Map();
  #next = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', event => {
      const message = JSON.parse(String(event.data));
      this.#pending.get(message.id)?.(message);
      this.#pending.delete(message.id);
    });
  }

  static async connect(endpoint: string): Promise<Inspector> {
    const targets = (await (
      await fetch(`${endpoint}/json/list`)
    ).json()) as Array<{ webSocketDebuggerUrl: string }>;
    const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', reject, { once: true });
    });
    return new Inspector(socket);
  }

  send(method: string, params: object = {}): Promise<any> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, message =>
        message.error
          ? reject(new Error(`${method}: ${message.error.message}`))
          : resolve(message.result),
      );
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** RSS and heap of the backend after a full collection (HeapProfiler.collectGarbage). */
  async memory(): Promise<{
    rss: number;
    heapUsed: number;
    heapTotal: number;
  }> {
    await this.send('HeapProfiler.collectGarbage');
    const { result } = await this.send('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    });
    return JSON.parse(result.value);
  }

  /** Profiles the backend while `step` runs; writes the .cpuprofile and returns the top functions by self time. */
  async profile<T>(
    file: string,
    step: () => Promise<T>,
  ): Promise<{ value: T; top: string[] }> {
    await this.send('Profiler.enable');
    await this.send('Profiler.setSamplingInterval', { interval: 500 });
    await this.send('Profiler.start');
    let profile: any;
    let value: T;
    try {
      value = await step();
    } finally {
      ({ profile } = await this.send('Profiler.stop'));
      writeFileSync(file, JSON.stringify(profile));
    }
    return { value, top: topSelfTime(profile) };
  }

  close() {
    this.#socket.close();
  }
}

/**
 * The ten functions with the most self time (ms and share of the busy time),
 * after a line with the idle time and V8's own "(program)" time (compiling,
 * native code), which no JavaScript function owns.
 */
export function topSelfTime(profile: {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  samples: number[];
  timeDeltas: number[];
}): string[] {
  const byNode = new Map(profile.nodes.map(n => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const frame = byNode.get(id)!.callFrame;
    const where = frame.url
      ? ` ${frame.url.replace(
          /^.*\/(node_modules|plugins|packages)\//,
          '$1/',
        )}:${frame.lineNumber + 1}`
      : '';
    const key = `${frame.functionName || '(anonymous)'}${where}`;
    self.set(key, (self.get(key) ?? 0) + ms);
  });
  const unowned = ['(idle)', '(program)'];
  const busy = total - unowned.reduce((n, k) => n + (self.get(k) ?? 0), 0);
  const header = `${total.toFixed(0)} ms sampled: ${unowned
    .map(k => `${k} ${(self.get(k) ?? 0).toFixed(0)} ms`)
    .join(', ')}, JavaScript and GC ${busy.toFixed(0)} ms:`;
  return [
    header,
    ...[...self.entries()]
      .filter(([key]) => !unowned.includes(key))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(
        ([key, ms]) =>
          `${ms.toFixed(0).padStart(6)} ms ${((100 * ms) / busy)
            .toFixed(1)
            .padStart(5)}%  ${key}`,
      ),
  ];
}
