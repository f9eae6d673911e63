/**
 * Pinned versions of the services the local cluster runs.
 *
 * The jar versions are resolved by Maven from maven/pom.xml; these constants must
 * match the pom's <zookeeper.version> and <kafka.version> properties (a unit test
 * checks that), because they go into the cache marker and `status` output.
 */
export const ZOOKEEPER_VERSION = '3.9.5';
export const KAFKA_VERSION = '4.3.1';
/** Connect is part of the Kafka release. */
export const CONNECT_VERSION = KAFKA_VERSION;

/** Kafka 4 brokers and Connect workers need Java 17 or newer. */
export const MIN_JAVA_MAJOR = 17;
