import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { ConfigService } from '../config/ConfigService';
import type {
  DeployFlow,
  DeployFlowView,
  DeployProgressEvent,
} from './DeployFlow';
import type {
  DeployFlowStore,
  DeployListFilter,
} from './store/DeployFlowStore';
import { viewOfRelease } from './releaseViews';
import { withOwnDatabaseScope } from '../database/DatabaseDeadline';

/**
 * The read side of deploy flows: this replica's live flows, another
 * replica's from the database, or a deploy rebuilt from its release.
 */
export class FlowQueries {
  readonly #flows: ReadonlyMap<string, DeployFlow>;
  readonly #flowStore: DeployFlowStore;
  readonly #config: ConfigService;
  readonly #remotePollMs: number;
  readonly #logger: LoggerService;

  constructor(options: {
    /** This replica's flows (owned by the DeployService). */
    flows: ReadonlyMap<string, DeployFlow>;
    flowStore: DeployFlowStore;
    config: ConfigService;
    remotePollMs: number;
    logger: LoggerService;
  }) {
    this.#flows = options.flows;
    this.#flowStore = options.flowStore;
    this.#config = options.config;
    this.#remotePollMs = options.remotePollMs;
    this.#logger = options.logger;
  }

  /** A flow by id, with its progress: this replica's, or another's from the database, or a deploy rebuilt from its release. */
  async get(id: string): Promise<DeployFlowView> {
    const flow = this.#flows.get(id);
    if (flow) return flow.view(true);
    const stored = await this.#flowStore.get(id);
    if (stored)
      return { ...stored.view, progress: await this.#flowStore.events(id) };
    return this.#viewFromRelease(id);
  }

  async #viewFromRelease(id: string): Promise<DeployFlowView> {
    if (id.startsWith('rel-')) {
      const release = await this.#config.getRelease(id);
      return viewOfRelease(release);
    }
    throw new NotFoundError(`There is no deployment ${id}`);
  }

  /**
   * Streams a flow's progress after `afterSeq`, then its final state. A flow
   * another replica runs is re-read from the database every `remotePollMs`
   * until it ends. Returns the unsubscribe function; 404 for an unknown id.
   */
  async watch(
    id: string,
    afterSeq: number,
    onProgress: (event: DeployProgressEvent) => void,
    onEnd: (view: DeployFlowView) => void,
  ): Promise<() => void> {
    const flow = this.#flows.get(id);
    if (flow)
      return flow.subscribe(afterSeq, onProgress, () =>
        onEnd(flow.view(false)),
      );
    const storedView = async () =>
      (await this.#flowStore.get(id))?.view ?? this.#viewFromRelease(id);
    await storedView();
    let last = afterSeq;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const poll = async () => {
      try {
        // The state first: a finished flow's events were all stored before its final state.
        const view = await storedView();
        for (const event of await this.#flowStore.events(id, last)) {
          if (stopped) return;
          onProgress(event);
          last = event.seq;
        }
        if (view.status !== 'running' && !stopped) {
          stopped = true;
          onEnd(view);
        }
      } catch (error) {
        this.#logger.warn(
          `archon: could not read the progress of ${id}; retrying: ${error}`,
        );
      }
      if (!stopped) {
        // Each later read has a database deadline of its own: the stream outlasts the request's.
        timer = setTimeout(
          () => void withOwnDatabaseScope(poll),
          this.#remotePollMs,
        );
        // A stream left open must not keep the process up at shutdown.
        timer.unref();
      }
    };
    await poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /** Flows any replica ran, newest first (those the orchestrator accepted). */
  list(filter: DeployListFilter): Promise<DeployFlowView[]> {
    return this.#flowStore.list(filter);
  }
}
