export interface Config {
  /** archon: one portal for configuration, Kafka, Kafka Connect and orchestrators. */
  archon?: {
    /**
     * ZooKeeper ensembles that hold Pheidippides configuration. The first one
     * is the default unless `defaultEnsemble` names another.
     */
    zookeeper?: {
      ensembles: Array<{
        /** Name used in the API (`?ensemble=`), e.g. `local`. */
        name: string;
        /** ZooKeeper connection string, e.g. `127.0.0.1:2181,127.0.0.1:2182`. */
        connectionString: string;
        /** Znode under which configuration paths live. Default `/pheidippides`. */
        root?: string;
        /** How a configuration set is stored in its znode. Default `json`. */
        encoding?: 'json' | 'properties';
        /** ZooKeeper session timeout in milliseconds. Default 15000. */
        sessionTimeoutMs?: number;
        /** Overrides `archon.zookeeper.requestTimeoutSeconds` for this ensemble. */
        requestTimeoutSeconds?: number;
      }>;
      /**
       * Deadline of every ZooKeeper call, in seconds (fractions allowed):
       * a request to a frozen, partitioned or reconnecting ensemble answers
       * 503 (not reachable) or 504 (no answer in time) by then, naming the
       * ensemble and the operation. A write whose answer was lost is read
       * back within it. Default 10.
       */
      requestTimeoutSeconds?: number;
      /** Name of the ensemble used when a request names none. */
      defaultEnsemble?: string;
      /** Caps of the ZooKeeper explorer (`/api/archon/zookeeper`); a request past one gets a 4xx naming it. */
      limits?: {
        /** Most znodes one export may hold (a request's `maxNodes` may only lower it, to at most 10000). Default 10000. */
        exportMaxNodes?: number;
        /** Most bytes of znode data one export may hold (the JSON is about 2.4 times that). Default 8388608 (8 MiB). */
        exportMaxBytes?: number;
      };
    };
    /** archon's own database (history, releases, deploys, audit log; `backend.database`). */
    database?: {
      /**
       * Deadline of the database work of one request, in seconds (fractions
       * allowed), however many queries it runs: past it the request answers
       * 504 "archon's database did not answer in time". The driver's
       * per-query timeouts (`backend.database.connection.query_timeout`,
       * `knexConfig.acquireConnectionTimeout`) end the abandoned query.
       * Default 10.
       */
      requestTimeoutSeconds?: number;
    };
    secrets?: {
      /**
       * Case-insensitive substrings that make a configuration key secret: its
       * value is masked in API responses, history and logs unless the caller
       * holds archon.config.secrets.reveal. Default: password, secret, token,
       * credential.
       */
      keyPatterns?: string[];
    };
    /** The catalog module (`@archon/plugin-archon-backend/catalog`): archon's own component and `archon-api`. */
    catalog?: {
      /** Entity ref of the group that owns archon in the catalog. Default: group:default/archon-admins. */
      owner?: string;
    };
    deploy?: {
      /**
       * How long a deploy (or scale, restart, ...) is followed before it is
       * recorded as timed out, unless the request says otherwise. Default 600.
       */
      timeoutSeconds?: number;
      /**
       * The lease of the "one change per app" lock in the database, shared by
       * all backend replicas: the replica running a change renews it every
       * third of this while the change runs, so a replica that dies frees its
       * apps at most this long after its last renewal. Replica clocks must
       * agree to well within this. Default 30.
       */
      lockLeaseSeconds?: number;
      /**
       * After the orchestrator reports a deploy (rollback, scale, restart)
       * done, how long the wanted instances must keep running, and healthy
       * where the app has health checks, before it counts as succeeded; a
       * task that ends in this window fails it (like Kubernetes'
       * minReadySeconds). Default 10.
       */
      settleSeconds?: number;
      /**
       * Failed tasks of the new version, in a row, that fail a deploy as a
       * crash loop at once instead of at its timeout. Default 3.
       */
      crashLoopFailures?: number;
    };
    permissions?: {
      /**
       * Entity refs (users or groups) that the local profile's permission
       * policy lets see secret values unmasked, e.g. group:default/archon-admins.
       * Default: nobody.
       */
      secretReaders?: string[];
      /**
       * The production profile's team policy (packages/backend's
       * ArchonTeamPermissionPolicy, used when set): each team's group and
       * the configuration path prefixes it may change and deploy.
       */
      teams?: Array<{ group: string; prefixes: string[] }>;
      /** The group that may do everything under the team policy, e.g. group:default/archon-admins. */
      adminGroup?: string;
      /**
       * Clusters (by configured name, e.g. dr) where, under the team policy,
       * only the admin group changes Kafka (creates and changes topics,
       * produces messages), manages Connect connectors, changes what runs
       * on a Marathon instance of that name (deploy, roll back, scale,
       * restart, suspend, kill tasks, destroy) and writes to a ZooKeeper
       * ensemble of that name (configuration and raw znodes); decided per
       * cluster with the rule IS_IN_CLUSTER. Default: none.
       */
      adminOnlyClusters?: string[];
    };
    /** The cross-system graph (`/api/archon/graph`). */
    graph?: {
      /** Deepest lineage, impact, path or neighbourhood a request may ask for. Default 12. */
      maxDepth?: number;
      /** Most nodes one graph response may hold; more is a 400 that says how to narrow it. Default 5000. */
      maxNodes?: number;
    };
    /**
     * Largest request body archon accepts, in bytes; a larger one is a 413
     * naming the limit. Default 2097152 (2 MiB: any configuration set that
     * fits a 1 MB znode).
     */
    maxRequestBodyBytes?: number;
    /** How long one health probe may take, in milliseconds (at most half the interval). Default 3000. */
    healthProbeTimeoutMs?: number;
    /** `GET /health` answers from probes that run in the background. */
    health?: {
      /**
       * How often each system gets a verdict; a frozen or unreachable
       * system shows as `unreachable` at most this long after it stopped
       * answering (the next probe starts this minus the probe timeout after
       * the last one did). `?fresh=true` probes live. Default 10.
       */
      intervalSeconds?: number;
    };
  };
}
