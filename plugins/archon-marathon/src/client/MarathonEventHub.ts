import type { LoggerService } from '@backstage/backend-plugin-api';
import { request } from 'undici';
import type { MarathonClient } from './MarathonClient';
import type { MarathonEvent } from './types';

type Listener = (event: MarathonEvent) => void;
/**
 * Told why the stream dropped (a message naming the instance), and whether
 * Marathon stopped answering (false when it closed the stream itself).
 */
type DisconnectListener = (reason: string, unanswered: boolean) => void;

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
/** Keep the stream this long after the last subscriber left (followers come and go). */
const LINGER_MS = 15_000;

/**
 * One `GET /v2/events` stream per Marathon instance, shared by every
 * subscriber (deploy followers, live feeds), opened while anyone listens and
 * reconnected with back-off when it drops. Marathon does not promise event
 * order or delivery, so subscribers are told about every (re)connect and are
 * expected to re-read state over REST then.
 *
 * A frozen Marathon keeps the socket open and sends nothing, which an idle
 * stream also does, so silence alone proves nothing: after a quarter of the
 * instance's deadline without a byte the hub asks Marathon (`/v2/info`) and
 * drops the stream when that gets no answer within the rest of the deadline
 * (#22). Subscribers hear about a drop, so the streams archon serves can say so.
 */
export class MarathonEventHub {
  readonly #client: MarathonClient;
  readonly #logger: LoggerService;
  readonly #listeners = new Set<Listener>();
  readonly #connectListeners = new Set<() => void>();
  readonly #disconnectListeners = new Set<DisconnectListener>();
  #lastByteAt = 0;
  #running = false;
  #connected = false;
  #abort?: AbortController;
  #linger?: NodeJS.Timeout;
  #wake?: () => void;
  #closed = false;

  constructor(client: MarathonClient, logger: LoggerService) {
    this.#client = client;
    this.#logger = logger;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** The instance's deadline: how long a silent stream may go unchecked. */
  get deadlineMs(): number {
    return this.#client.instance.requestTimeoutMs;
  }

  /** Receives every event until unsubscribed; opens the stream if needed. */
  subscribe(
    listener: Listener,
    onConnect?: () => void,
    onDisconnect?: DisconnectListener,
  ): () => void {
    this.#listeners.add(listener);
    if (onConnect) this.#connectListeners.add(onConnect);
    if (onDisconnect) this.#disconnectListeners.add(onDisconnect);
    if (this.#linger) {
      clearTimeout(this.#linger);
      this.#linger = undefined;
    }
    this.#start();
    return () => {
      this.#listeners.delete(listener);
      if (onConnect) this.#connectListeners.delete(onConnect);
      if (onDisconnect) this.#disconnectListeners.delete(onDisconnect);
      if (this.#listeners.size === 0 && this.#running && !this.#linger) {
        this.#linger = setTimeout(() => {
          this.#linger = undefined;
          if (this.#listeners.size === 0) this.#stop();
        }, LINGER_MS);
        this.#linger.unref();
      }
    };
  }

  /** Resolves true once the stream is attached, false after `timeoutMs`. */
  async waitConnected(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#connected && Date.now() < deadline && this.#running) {
      await new Promise(r => setTimeout(r, 50));
    }
    return this.#connected;
  }

  close(): void {
    this.#closed = true;
    this.#stop();
  }

  #start(): void {
    if (this.#running || this.#closed) return;
    this.#running = true;
    void this.#loop();
  }

  #stop(): void {
    this.#running = false;
    this.#abort?.abort();
    this.#wake?.();
  }

  async #loop(): Promise<void> {
    let retryMs = FIRST_RETRY_MS;
    while (this.#running) {
      let reason = '';
      let unanswered = true;
      const abort = new AbortController();
      this.#abort = abort;
      try {
        const response = await request(
          `${this.#client.instance.url}/v2/events`,
          {
            method: 'GET',
            headers: {
              accept: 'text/event-stream',
              ...this.#client.authHeaders(),
            },
            dispatcher: this.#client.dispatcher,
            signal: abort.signal,
            headersTimeout: this.#client.instance.requestTimeoutMs,
            bodyTimeout: 0,
          },
        );
        if (response.statusCode !== 200) {
          await response.body.dump();
          throw new Error(`HTTP ${response.statusCode}`);
        }
        retryMs = FIRST_RETRY_MS;
        this.#lastByteAt = Date.now();
        this.#setConnected(true);
        const watchdog = this.#watch(abort);
        try {
          await this.#read(response.body);
          reason = `${this.#client.describe()} closed its event stream`;
          unanswered = false;
        } finally {
          clearInterval(watchdog);
        }
      } catch (error) {
        reason =
          abort.signal.reason instanceof Error
            ? abort.signal.reason.message
            : (error as Error).message;
        if (this.#running) {
          this.#logger.debug(
            `archon-marathon: event stream of "${
              this.#client.name
            }" dropped: ${reason}; reconnecting in ${retryMs} ms`,
          );
        }
      }
      this.#setConnected(false, reason, unanswered);
      if (!this.#running) break;
      await this.#pause(retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    }
  }

  /**
   * Checks a silent stream: asks Marathon once the stream has been quiet for a
   * quarter of the deadline, and aborts the stream (with a reason naming the
   * instance) when the question gets no answer in the rest of it.
   */
  #watch(abort: AbortController): NodeJS.Timeout {
    const deadlineMs = this.#client.instance.requestTimeoutMs;
    const quietMs = Math.max(100, Math.round(deadlineMs / 4));
    let asking = false;
    const timer = setInterval(() => {
      if (
        asking ||
        abort.signal.aborted ||
        Date.now() - this.#lastByteAt < quietMs
      )
        return;
      asking = true;
      this.#client
        .info(AbortSignal.timeout(deadlineMs - quietMs))
        .then(() => {
          // Alive but quiet: count the answer as a sign of life.
          this.#lastByteAt = Date.now();
        })
        .catch(() => {
          abort.abort(
            new Error(
              `${this.#client.describe()} stopped answering: its event stream went silent and /v2/info got no answer within ${
                deadlineMs / 1000
              } s`,
            ),
          );
        })
        .finally(() => {
          asking = false;
        });
    }, quietMs);
    timer.unref();
    return timer;
  }

  /** Waits before reconnecting; `#stop` cuts it short. */
  #pause(ms: number): Promise<void> {
    return new Promise<void>(resolve => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async #read(
    body: AsyncIterable<Buffer | string> & { setEncoding?(e: string): void },
  ): Promise<void> {
    body.setEncoding?.('utf8');
    let buffer = '';
    let eventName = '';
    let data: string[] = [];
    for await (const chunk of body) {
      this.#lastByteAt = Date.now();
      buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (data.length) this.#dispatch(eventName, data.join('\n'));
          eventName = '';
          data = [];
        } else if (line.startsWith('event:')) {
          eventName = line.slice(6).trim();
        } else if (line.startsWith('data:')) {
          data.push(line.slice(5).replace(/^ /, ''));
        }
        newline = buffer.indexOf('\n');
      }
    }
  }

  #dispatch(eventName: string, data: string): void {
    let event: MarathonEvent;
    try {
      event = JSON.parse(data);
    } catch {
      return;
    }
    if (!event.eventType && eventName) event.eventType = eventName;
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.warn(
          `archon-marathon: an event listener failed: ${
            (error as Error).message
          }`,
        );
      }
    }
  }

  #setConnected(connected: boolean, reason = '', unanswered = true): void {
    const was = this.#connected;
    this.#connected = connected;
    if (!connected && was) {
      for (const listener of [...this.#disconnectListeners]) {
        try {
          listener(reason, unanswered);
        } catch {
          // A listener's failure must not keep the others from hearing.
        }
      }
    }
    if (connected && !was) {
      for (const listener of [...this.#connectListeners]) {
        try {
          listener();
        } catch {
          // ignore
        }
      }
    }
  }
}
