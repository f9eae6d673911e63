import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

const NOT_FOUND = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'UNKNOWN_TOPIC_ID', 'GROUP_ID_NOT_FOUND']);
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
const UNREACHABLE = /KafkaJSConnectionError|KafkaJSConnectionClosedError|KafkaJSRequestTimeoutError|KafkaJSBrokerNotFound|KafkaJSMetadataNotLoaded|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND/;

const SASL_FAILED = /KafkaJSSASLAuthenticationError|SASL_AUTHENTICATION_FAILED|ILLEGAL_SASL_STATE|UNSUPPORTED_SASL_MECHANISM/;

interface KafkajsLikeError extends Error {
  type?: string;
  code?: string | number;
  errors?: KafkajsLikeError[];
  /** KafkaJSDeleteGroupsError: each group's own error (e.g. GROUP_ID_NOT_FOUND). */
  groups?: Array<{ error?: KafkajsLikeError }>;
  originalError?: KafkajsLikeError;
  cause?: unknown;
}

function innermost(error: KafkajsLikeError): KafkajsLikeError {
  let e = error;
  for (let i = 0; i < 5; i++) {
    if (e.errors?.length) e = e.errors[0];
    else if (e.groups?.[0]?.error) e = e.groups[0].error;
    else if (e.originalError) e = e.originalError;
    else if (e.cause instanceof Error) e = e.cause as KafkajsLikeError;
    else break;
  }
  return e;
}

/**
 * Turns a Kafka client error into the Backstage error the router answers
 * with: 400/404/409/403 for what the broker refused, 503 (naming the
 * brokers tried) when the cluster cannot be reached. Anything else is
 * rethrown as is.
 */
export function toHttpError(
  error: unknown,
  cluster: { name: string; brokers: string[] },
): Error {
  // No `instanceof Error`: errors from Node internals may come from another realm.
  if (!error || typeof error !== 'object') return new Error(String(error));
  return mapError(error as KafkajsLikeError, cluster);
}

function mapError(error: KafkajsLikeError, cluster: { name: string; brokers: string[] }): Error {
  if (['InputError', 'NotFoundError', 'ConflictError', 'NotAllowedError', 'ServiceUnavailableError', 'UnprocessableError'].includes(error.name)) {
    return error;
  }
  const inner = innermost(error as KafkajsLikeError);
  const type = inner.type ?? '';
  const message = inner.message || error.message;
  if (NOT_FOUND.has(type)) return new NotFoundError(message);
  if (CONFLICT.has(type)) return new ConflictError(message);
  if (type === 'INVALID_RECORD') {
    return new InputError(`${message} (a compacted topic needs a key on every record)`);
  }
  if (BAD_INPUT.has(type)) return new InputError(message);
  if (FORBIDDEN.has(type)) return new NotAllowedError(`Kafka refused: ${message}`);
  const names = `${error.name} ${inner.name} ${String(inner.code ?? '')} ${message}`;
  // Wrong credentials are archon's configuration, not the user's request:
  // the cluster is unusable until an operator fixes archon.kafka.clusters.
  if (SASL_FAILED.test(`${names} ${type}`)) {
    return new ServiceUnavailableError(
      `Kafka cluster "${cluster.name}" refused archon's SASL credentials (brokers tried: ${cluster.brokers.join(', ')}); check archon.kafka.clusters[].sasl: ${message}`,
    );
  }
  if (UNREACHABLE.test(names) || error.name === 'KafkaJSNumberOfRetriesExceeded') {
    return new ServiceUnavailableError(
      `Kafka cluster "${cluster.name}" is unreachable (brokers tried: ${cluster.brokers.join(', ')}): ${message}`,
    );
  }
  return error;
}
