import type { LoggerService } from '@backstage/backend-plugin-api';
import type { DeployFlowStore } from './store/DeployFlowStore';
import { outsideRequestScope } from '../database/DatabaseDeadline';
import type {
  DeployFlow,
  DeployFlowView,
  DeployProgressEvent,
} from './DeployFlow';

/**
 * Copies a running flow into the database so other replicas can show it: the
 * flow's row when it starts and ends, its progress events as they come. The
 * events are written one batch at a time (whatever arrived while the previous
 * write was under way), in order, without holding up the adapter that reports them.
 */
export class FlowRecorder {
  readonly #store: DeployFlowStore;
  readonly #flow: DeployFlow;
  readonly #holder: string;
  readonly #logger: LoggerService;
  #pending: DeployProgressEvent[] = [];
  #writing: Promise<void> = Promise.resolve();
  #busy = false;
  #unsubscribe: () => void = () => undefined;

  constructor(options: {
    store: DeployFlowStore;
    flow: DeployFlow;
    holder: string;
    logger: LoggerService;
  }) {
    this.#store = options.store;
    this.#flow = options.flow;
    this.#holder = options.holder;
    this.#logger = options.logger;
  }

  /** Writes the flow's row and the events so far; then follows new ones. */
  async start(): Promise<void> {
    await this.#store.save(this.#flow.view(false), this.#holder);
    this.#unsubscribe = this.#flow.subscribe(
      0,
      event => {
        this.#pending.push(event);
        this.#drain();
      },
      () => undefined,
    );
    await this.#writing;
  }

  /** Writes the events still pending, then the flow's final state. */
  async finish(view: DeployFlowView): Promise<void> {
    this.#unsubscribe();
    await this.#writing;
    await this.#store.save(view, this.#holder);
  }

  #drain(): void {
    if (this.#busy) return;
    this.#busy = true;
    // Progress comes from the orchestrator's follow-up, long after the request that started it.
    this.#writing = outsideRequestScope(async () => {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0);
        try {
          await this.#store.addEvents(this.#flow.id, batch);
        } catch (error) {
          // Progress is a view; the flow goes on without it.
          this.#logger.warn(
            `archon: could not store ${batch.length} progress event(s) of ${
              this.#flow.id
            }: ${error}`,
          );
        }
      }
      this.#busy = false;
    });
  }
}
