import type {
  ArchonDeployOutcome,
  ArchonDeployProgress,
} from '@archon/plugin-archon-node';
import type { MarathonClient } from '../client/MarathonClient';
import type { MarathonEventHub } from '../client/MarathonEventHub';
import type { MarathonEvent } from '../client/types';
import { DeploymentFollower } from './DeploymentFollower';

/** What {@link Subscription.follow} follows, and where it reports progress. */
export interface FollowOptions {
  client: MarathonClient;
  appId: string;
  deploymentId: string;
  version: string;
  /** `destroy`: success means the app is gone. */
  expectGone?: boolean;
  timeoutMs: number;
  /** How long the app must stay up after Marathon is done; a task ending meanwhile fails the change. */
  settleMs?: number;
  /** Failed tasks (of this version) that make the change fail as a crash loop. */
  crashLoopFailures?: number;
  /** `archon.secrets.keyPatterns`: env values masked in a quoted stderr. */
  secretPatterns?: readonly string[];
  onProgress: (progress: ArchonDeployProgress) => void;
}

/**
 * Subscribes to the instance's event stream *before* a change is sent, so no
 * event of it can be missed; then {@link Subscription.follow} follows the
 * Marathon deployment the change started.
 */
export class Subscription {
  readonly #buffer: MarathonEvent[] = [];
  #handler?: (event: MarathonEvent) => void;
  #onConnect?: () => void;
  #onDisconnect?: (reason: string, unanswered: boolean) => void;
  readonly #hub: MarathonEventHub;
  readonly #unsubscribe: () => void;

  private constructor(hub: MarathonEventHub) {
    this.#hub = hub;
    this.#unsubscribe = hub.subscribe(
      event =>
        this.#handler ? this.#handler(event) : this.#buffer.push(event),
      () => this.#onConnect?.(),
      (reason, unanswered) => this.#onDisconnect?.(reason, unanswered),
    );
  }

  /** Subscribes and waits (briefly) for the stream; following falls back to polling if it is not there. */
  static async open(hub: MarathonEventHub): Promise<Subscription> {
    const subscription = new Subscription(hub);
    await hub.waitConnected(3000);
    return subscription;
  }

  close(): void {
    this.#unsubscribe();
  }

  /**
   * Follows one Marathon deployment to `deployment_success` /
   * `deployment_failed`, reporting progress (steps, task states, health).
   * Events are a hint, not a guarantee: `/v2/deployments` is polled too, and
   * a deployment that disappears without its final event is judged from the
   * app's state. Resolves at the timeout with what is still missing. Never
   * rejects; closes the subscription when done.
   *
   * When Marathon stops answering (the event hub drops a silent stream, or
   * polling fails without an event stream) it reports `unreachable` and keeps
   * following; when Marathon answers again, `reachable` (events may have been
   * missed meanwhile, so the deployment is re-read at once). A timeout while
   * Marathon is unreachable says the outcome is unknown (#22).
   */
  follow(options: FollowOptions): Promise<ArchonDeployOutcome> {
    const follower = new DeploymentFollower(options, {
      close: () => this.close(),
      streamConnected: () => this.#hub.connected,
    });
    follower.startPolling();
    this.#onConnect = () => follower.onConnect();
    // A stream Marathon closed itself proves nothing: the next poll tells.
    this.#onDisconnect = (reason, unanswered) =>
      follower.onDisconnect(reason, unanswered);
    this.#handler = event => follower.onEvent(event);
    for (const event of this.#buffer.splice(0)) follower.onEvent(event);
    return follower.startTimeout();
  }
}
