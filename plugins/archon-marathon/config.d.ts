export interface Config {
  archon?: {
    marathon?: {
      /** Per-request timeout towards an instance that sets no `requestTimeoutMs`, seconds. Default 10. */
      requestTimeoutSeconds?: number;
      /** Marathon instances archon deploys to and monitors. */
      instances: Array<{
        /** Name used in the API (`/api/archon/marathon/{instance}`), e.g. `local`. */
        name: string;
        /** Base URL of Marathon, e.g. `http://127.0.0.1:8080`. */
        url: string;
        /** Basic auth, or a token for DC/OS-style `Authorization: token=...`. */
        auth?: {
          username?: string;
          /** @visibility secret */
          password?: string;
          /** @visibility secret */
          token?: string;
        };
        /** Per-request timeout, ms: a route answers 503/504 by then. Default `archon.marathon.requestTimeoutSeconds`. */
        requestTimeoutMs?: number;
        /**
         * Where the Mesos agent of a task answers (sandbox files for task logs).
         * `{host}` is replaced by the task's host. Default `http://{host}:5051`.
         */
        mesosAgentUrl?: string;
        /**
         * The Kafka cluster (archon.kafka.clusters[].name) the apps of this
         * instance use, unless an app's configuration says `kafka.cluster`:
         * the topics its configuration names are that cluster's, in the
         * catalog and the graph. Default `archon.marathon.catalog.kafkaCluster`.
         */
        kafkaCluster?: string;
        /** Prefix of every app id archon derives from a configuration path, e.g. `/archon`. Default none. */
        appIdPrefix?: string;
        /** Upper limits a rendered app definition must stay within (422 otherwise). */
        limits?: {
          /** Default 64. */
          cpus?: number;
          /** MiB. Default 262144 (256 GiB). */
          mem?: number;
          /** MiB. Default 1048576. */
          disk?: number;
          /** Default 1000. */
          instances?: number;
        };
      }>;
      /** The catalog module (`@archon/plugin-archon-marathon/catalog`). */
      catalog?: {
        /** Default true. */
        enabled?: boolean;
        /** Entity namespace. Default `default`. */
        namespace?: string;
        /** Owner of apps that name none (label ARCHON_OWNER). Default `group:default/marathon-admins`. */
        owner?: string;
        /** Lifecycle of apps that name none (label ARCHON_LIFECYCLE). Default `production`. */
        lifecycle?: string;
        /**
         * The Kafka cluster (archon.kafka.clusters[].name) topics named in an
         * app's configuration live on, unless it says `kafka.cluster` or its
         * instance names its `kafkaCluster`.
         * Default: the first configured Kafka cluster.
         */
        kafkaCluster?: string;
        /** Base URL of archon's API, for entity locations. Default `http://localhost:7007/api/archon`. */
        baseUrl?: string;
        /** How often to refresh. Default every 5 minutes. */
        schedule?: {
          frequency: { minutes?: number; seconds?: number; hours?: number };
          timeout: { minutes?: number; seconds?: number; hours?: number };
          initialDelay?: { minutes?: number; seconds?: number };
        };
      };
    };
  };
}
