import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  archon?: {
    kafka?: {
      /** Kafka clusters archon manages. Names are unique across clusters. */
      clusters: Array<{
        /** Name used in the API (`/api/archon/kafka/{cluster}`), e.g. `local`. */
        name: string;
        /** Bootstrap brokers, `host:port`. */
        brokers: string[];
        /** Client id archon uses. Default `archon`. */
        clientId?: string;
        /** TLS to the brokers; `true` uses the system's CAs. */
        ssl?:
          | boolean
          | {
              /** PEM CA bundle. */
              ca?: string;
              rejectUnauthorized?: boolean;
            };
        /** SASL authentication. */
        sasl?: {
          mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
          username: string;
          /** @visibility secret */
          password: string;
        };
        /**
         * Deadline of every call to this cluster, ms: a route answers 503/504
         * by then at the latest (message reads add the read's own timeout).
         * Default `archon.kafka.requestTimeoutSeconds`.
         */
        requestTimeoutMs?: number;
      }>;
      /** Deadline of every call to a Kafka cluster that sets no `requestTimeoutMs`, seconds. Default 10. */
      requestTimeoutSeconds?: number;
      /** The sampler of end offsets and group lag (throughput and lag series). */
      sampler?: {
        /** Default true. */
        enabled?: boolean;
        /** Seconds between samples (one backend replica samples). Default 60, at least 5. */
        intervalSeconds?: number;
        /** How long samples are kept, hours. Default 24. */
        retentionHours?: number;
        /**
         * Also sample lag in time: the age of the record at each lagging
         * committed offset (one small Fetch per leader per sample). Default true.
         */
        timeLag?: boolean;
        /**
         * At most this many lagging partition positions are read for time lag
         * per cluster per sample, the furthest behind first; the others are
         * unknown ("not sampled"). Default 1000.
         */
        timeLagMaxPartitions?: number;
      };
      /**
       * A consumer group lags when its time lag (the age of the oldest record
       * it has not consumed, as of the latest sample) exceeds this many
       * seconds: the Home page's "groups lagging", the graph's group nodes and
       * the group list's `?lagging=true`. Default 60.
       */
      lagThresholdSeconds?: number;
      /** The coordinated offset reset (`"coordinated": true`): suspend the owning app, reset, restore. */
      coordinatedReset?: {
        /** How long to wait for the group to become Empty once the app is suspended, unless the request says. Default 60. */
        waitTimeoutSeconds?: number;
      };
      /** archon's cross-system graph (`/api/archon/graph`): this module's part. */
      graph?: {
        /** Seconds between snapshots of topics, groups and connectors. Default 30, at least 2. */
        refreshIntervalSeconds?: number;
      };
      /** The catalog module (`@archon/plugin-archon-kafka/catalog`). */
      catalog?: {
        /** Register topics and connectors as entities. Default true. */
        enabled?: boolean;
        /** Refresh schedule. Default every 30 minutes, 10 minute timeout. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** Entity namespace. Default `default`. */
        namespace?: string;
        /** Owner of the entities. Default `group:default/kafka-admins`. */
        owner?: string;
        /** Lifecycle of connector Components. Default `production`. */
        lifecycle?: string;
        /** Also register internal topics (`__consumer_offsets`, ...). Default false. */
        includeInternal?: boolean;
        /** archon's API base URL, for the entities' location annotations. */
        baseUrl?: string;
      };
    };
    kafkaConnect?: {
      /** Kafka Connect clusters archon manages. */
      clusters: Array<{
        /** Name used in the API (`/api/archon/connect/{cluster}`). */
        name: string;
        /** REST URL of any worker, e.g. `http://127.0.0.1:8083`. */
        url: string;
        /** Name of the Kafka cluster (in `archon.kafka.clusters`) it writes to. */
        kafkaCluster?: string;
        /** Basic or bearer auth towards the Connect REST API. */
        auth?: {
          username?: string;
          /** @visibility secret */
          password?: string;
          /** @visibility secret */
          token?: string;
        };
        /** Deadline of every call to this Connect cluster, ms. Default `archon.kafkaConnect.requestTimeoutSeconds`. */
        requestTimeoutMs?: number;
      }>;
      /** Deadline of every call to a Connect cluster that sets no `requestTimeoutMs`, seconds. Default 10. */
      requestTimeoutSeconds?: number;
    };
  };
}
