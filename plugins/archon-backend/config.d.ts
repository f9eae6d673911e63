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
      }>;
      /** Name of the ensemble used when a request names none. */
      defaultEnsemble?: string;
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
    deploy?: {
      /**
       * How long a deploy (or scale, restart, ...) is followed before it is
       * recorded as timed out, unless the request says otherwise. Default 600.
       */
      timeoutSeconds?: number;
    };
    permissions?: {
      /**
       * Entity refs (users or groups) that the local profile's permission
       * policy lets see secret values unmasked, e.g. group:default/archon-admins.
       * Default: nobody.
       */
      secretReaders?: string[];
    };
    /** The cross-system graph (`/api/archon/graph`). */
    graph?: {
      /** Deepest lineage, impact, path or neighbourhood a request may ask for. Default 12. */
      maxDepth?: number;
      /** Most nodes one graph response may hold; more is a 400 that says how to narrow it. Default 5000. */
      maxNodes?: number;
    };
    /** How long one health probe may take, in milliseconds. Default 3000. */
    healthProbeTimeoutMs?: number;
  };
}
