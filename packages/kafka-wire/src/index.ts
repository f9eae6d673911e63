/**
 * archon's one Kafka wire codec: the byte-level Writer and Reader, the
 * request frame and a plain-TCP exchange, and ApiVersions. Used by the Kafka
 * module (its own requests beside kafkajs) and the local cluster (probing its
 * broker).
 *
 * @packageDocumentation
 */
export { Reader, Writer } from './buffers';
export {
  encodeRequest,
  kafkaRoundTrip,
  type ExchangeBounds,
  type RequestHeader,
} from './framing';
export {
  API_KEY_API_VERSIONS,
  decodeApiVersionsResponse,
  encodeApiVersionsRequest,
  requestApiVersions,
  type ApiVersionRange,
  type ApiVersionsResult,
} from './apiVersions';
