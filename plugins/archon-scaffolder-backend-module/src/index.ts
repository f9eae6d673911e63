/**
 * Scaffolder actions that call archon's REST API as the template's user:
 * `archon:config:write`, `archon:kafka:topic:create`, `archon:deploy`.
 *
 * @packageDocumentation
 */
export { scaffolderModuleArchon as default } from './module';
export { createArchonConfigWriteAction } from './actions/configWrite';
export { createArchonKafkaTopicCreateAction } from './actions/kafkaTopicCreate';
export { createArchonDeployAction } from './actions/deploy';
export type { ArchonActionDeps } from './actions/archonApi';
