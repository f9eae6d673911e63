import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { UpstreamTimeoutError, withDeadline } from '@archon/plugin-archon-node';

const NOT_FOUND = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'UNKNOWN_TOPIC_ID',
  'GROUP_ID_NOT_FOUND',
]);
const CONFLICT = new Set([
  'TOPIC_ALREADY_EXISTS',
  'NON_EMPTY_GROUP',
  'REBALANCE_IN_PROGRESS',
  'UNKNOWN_MEMBER_ID',
  'ILLEGAL_GENERATION',
  'FENCED_INSTANCE_ID',
  'STALE_MEMBER_EPOCH',
]);
const BAD_INPUT = new Set([
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_REPLICA_ASSIGNMENT',
  'INVALID_CONFIG',
  'INVALID_REQUEST',
  'POLICY_VIOLATION',
  'INVALID_TIMESTAMP',
  'INVALID_GROUP_ID',
  'INVALID_COMMIT_OFFSET_SIZE',
  'OFFSET_OUT_OF_RANGE',
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'UNKNOWN_TOPIC_OR_PARTITION_ON_PRODUCE',
]);
const FORBIDDEN = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
]);
/** Retriable states of the cluster, in Kafka's own words: 503, retry later. */
const UNAVAILABLE: Record<string, string> = {
  GROUP_COORDINATOR_NOT_AVAILABLE:
    'the consumer group coordinator is not available yet',
  COORDINATOR_NOT_AVAILABLE:
    'the consumer group coordinator is not available yet',
  GROUP_LOAD_IN_PROGRESS:
    'the consumer group coordinator is still loading its groups',
  COORDINATOR_LOAD_IN_PROGRESS:
    'the consumer group coordinator is still loading its groups',
  NOT_COORDINATOR_FOR_GROUP:
    'the consumer group coordinator moved to another broker',
  NOT_COORDINATOR: 'the consumer group coordinator moved to another broker',
  LEADER_NOT_AVAILABLE:
    'a partition has no leader right now (leader election in progress)',
  NOT_LEADER_FOR_PARTITION: 'a partition leader moved to another broker',
  NOT_LEADER_OR_FOLLOWER: 'a partition leader moved to another broker',
  BROKER_NOT_AVAILABLE: 'a broker is not available',
  REPLICA_NOT_AVAILABLE: 'a replica is not available',
  NOT_ENOUGH_REPLICAS: 'too few in-sync replicas to accept the write',
  NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    'too few in-sync replicas confirmed the write (it may have been appended)',
  NOT_CONTROLLER: 'the controller moved to another node',
  KAFKA_STORAGE_ERROR: 'a broker has a storage error',
  NETWORK_EXCEPTION: 'the connection to a broker broke',
  THROTTLING_QUOTA_EXCEEDED: 'archon is being throttled by a quota',
  FETCH_SESSION_ID_NOT_FOUND: 'the fetch session expired',
  UNKNOWN_LEADER_EPOCH: 'the broker is behind on leader epochs',
  FENCED_LEADER_EPOCH: 'the leader epoch changed',
  OFFSET_NOT_AVAILABLE:
    'the offset is not available yet (leader election in progress)',
  ELECTION_NOT_NEEDED: 'the leader election was not needed',
};
/** A timeout reported by a broker, or by the client waiting for one: 504. */
const TIMED_OUT_TYPES = new Set(['REQUEST_TIMED_OUT']);
const TIMED_OUT_NAMES =
  /KafkaJSRequestTimeoutError|KafkaJSLockTimeout|KafkaJSTimeout\b/;
const UNREACHABLE =
  /KafkaJSConnectionError|KafkaJSConnectionClosedError|KafkaJSBrokerNotFound|KafkaJSMetadataNotLoaded|KafkaJSTopicMetadataNotLoaded|KafkaJSNoBrokerAvailableError|KafkaJSStaleTopicMetadataAssignment|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN/;

const SASL_FAILED =
  /KafkaJSSASLAuthenticationError|SASL_AUTHENTICATION_FAILED|ILLEGAL_SASL_STATE|UNSUPPORTED_SASL_MECHANISM/;

/** Errors archon raised itself (already an HTTP answer): passed through. */
const HTTP_ERRORS = new Set([
  'InputError',
  'NotFoundError',
  'ConflictError',
  'NotAllowedError',
  'ServiceUnavailableError',
  'UnprocessableError',
  'UpstreamTimeoutError',
  'AuthenticationError',
  'NotModifiedError',
]);

interface KafkajsLikeError extends Error {
  type?: string;
  code?: string | number;
  errors?: KafkajsLikeError[];
  /** KafkaJSDeleteGroupsError: each group's own error (e.g. GROUP_ID_NOT_FOUND). */
  groups?: Array<{ error?: KafkajsLikeError }>;
  /** KafkaJSDeleteTopicRecordsError: each partition's own error. */
  partitions?: Array<{ error?: KafkajsLikeError }>;
  originalError?: KafkajsLikeError;
  cause?: unknown;
}

function innermost(error: KafkajsLikeError): KafkajsLikeError {
  let e = error;
  for (let i = 0; i < 5; i++) {
    if (e.errors?.length) e = e.errors[0];
    else if (e.groups?.[0]?.error) e = e.groups[0].error;
    else if (e.partitions?.find(p => p.error)?.error)
      e = e.partitions.find(p => p.error)!.error!;
    else if (e.originalError) e = e.originalError;
    else if (e.cause instanceof Error) e = e.cause as KafkajsLikeError;
    else break;
  }
  return e;
}

type KafkaCluster = { name: string; brokers: string[] };

/**
 * Turns a Kafka client error into the error the router answers with, in
 * Kafka's terms and naming the cluster: 400/403/404/409 for what the broker
 * refused, 503 when the cluster is unreachable or not ready (coordinator,
 * leader), 504 when it did not answer in time. Every kafkajs error maps to
 * one of these (errors.test.ts enumerates them); only errors that are not
 * Kafka's (archon's own bugs) pass through as they are.
 */
export function toHttpError(error: unknown, cluster: KafkaCluster): Error {
  // No `instanceof Error`: errors from Node internals may come from another realm.
  if (!error || typeof error !== 'object') return new Error(String(error));
  return mapError(error as KafkajsLikeError, cluster);
}

function mapError(error: KafkajsLikeError, cluster: KafkaCluster): Error {
  if (HTTP_ERRORS.has(error.name)) return error;
  const inner = innermost(error);
  if (inner !== error && HTTP_ERRORS.has(inner.name)) return inner;
  const type = inner.type ?? '';
  const message = inner.message || error.message;
  const at = `Kafka cluster "${cluster.name}"`;
  const tried = `brokers tried: ${cluster.brokers.join(', ')}`;
  if (NOT_FOUND.has(type)) return new NotFoundError(message);
  if (UNAVAILABLE[type]) {
    return new ServiceUnavailableError(
      `${at}: ${UNAVAILABLE[type]} (Kafka ${type}: ${message}); retry in a moment`,
    );
  }
  if (CONFLICT.has(type) || /^DUPLICATE_|_IN_PROGRESS$/.test(type))
    return new ConflictError(message);
  if (type === 'INVALID_RECORD') {
    return new InputError(
      `${message} (a compacted topic needs a key on every record)`,
    );
  }
  if (BAD_INPUT.has(type) || /^INVALID_/.test(type))
    return new InputError(message);
  if (FORBIDDEN.has(type) || /_AUTHORIZATION_FAILED$/.test(type))
    return new NotAllowedError(`Kafka refused: ${message}`);
  // Class names too: a few kafkajs errors (KafkaJSFetcherRebalanceError) keep the name "Error".
  const names = `${error.name} ${error.constructor?.name} ${inner.name} ${
    inner.constructor?.name
  } ${String(inner.code ?? '')} ${message}`;
  // Wrong credentials are archon's configuration, not the user's request:
  // the cluster is unusable until an operator fixes archon.kafka.clusters.
  if (SASL_FAILED.test(`${names} ${type}`)) {
    return new ServiceUnavailableError(
      `${at} refused archon's SASL credentials (${tried}); check archon.kafka.clusters[].sasl: ${message}`,
    );
  }
  if (TIMED_OUT_TYPES.has(type) || TIMED_OUT_NAMES.test(names)) {
    return new UpstreamTimeoutError(
      `${at} did not answer in time (${tried}; ${inner.name}: ${message}); a write may or may not have been applied, check before retrying`,
    );
  }
  if (/KafkaJSGroupCoordinatorNotFound/.test(names)) {
    return new ServiceUnavailableError(
      `${at}: no broker is the consumer group coordinator yet (${inner.name}: ${message}); retry in a moment`,
    );
  }
  if (UNREACHABLE.test(names)) {
    return new ServiceUnavailableError(
      `${at} is unreachable (${tried}): ${message}`,
    );
  }
  if (type) {
    // Any other error code a broker answered: the broker's refusal, named.
    return new ServiceUnavailableError(
      `${at} answered Kafka ${type}: ${message}`,
    );
  }
  if (/KafkaJSFetcherRebalanceError/.test(names)) {
    return new ConflictError(
      `${at}: the consumer group is rebalancing (${
        message || 'KafkaJSFetcherRebalanceError'
      }); retry`,
    );
  }
  if (/\bKafkaJS/.test(names)) {
    // Retries exhausted, an answer kafkajs could not decode, an API the
    // brokers lack: the cluster cannot serve this request as it is now.
    return new ServiceUnavailableError(
      `${at} could not serve the request (${tried}; ${inner.name}: ${message})`,
    );
  }
  return error;
}

/**
 * Runs `work` under the cluster's deadline: past it the caller gets a 504
 * naming the cluster and what was being done, whatever kafkajs is still
 * waiting for (its own timeout and retries can add up to several times the
 * request timeout). The abandoned work ends by itself; its outcome is ignored.
 */
export function withKafkaDeadline<T>(
  work: Promise<T>,
  cluster: KafkaCluster,
  deadlineMs: number,
  what = 'answer',
): Promise<T> {
  return withDeadline(
    work,
    deadlineMs,
    () =>
      new UpstreamTimeoutError(
        `Kafka cluster "${cluster.name}" did not ${what} within ${
          deadlineMs / 1000
        } s (brokers tried: ${cluster.brokers.join(
          ', ',
        )}); it may be overloaded or cut off. A write may or may not have been applied: check before retrying`,
      ),
  );
}
