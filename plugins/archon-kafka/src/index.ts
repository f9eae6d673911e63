/**
 * Kafka and Kafka Connect for archon: health, management routes and catalog
 * entities.
 *
 * @packageDocumentation
 */
export { archonModuleKafka as default } from './module';
export { catalogModuleArchonKafka } from './catalogModule';
export {
  ANNOTATIONS as archonKafkaAnnotations,
  RELATIONS as archonKafkaRelations,
} from './catalog/entities';
/** Live tails this process serves (the CLI's tests wait for it to fall back after Ctrl-C). */
export { activeTails } from './kafka/messageTail';
