import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { readSecretKeyPatterns } from '@archon/plugin-archon-common';
import { createArchonConfigWriteAction } from './actions/configWrite';
import { createArchonDeployAction } from './actions/deploy';
import { createArchonKafkaInputTopicsAction } from './actions/kafkaInputTopics';
import { createArchonKafkaTopicCreateAction } from './actions/kafkaTopicCreate';

/** Adds archon's actions (config write, topic create, input topics, deploy) to the scaffolder. */
export const scaffolderModuleArchon = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'archon',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, auth, discovery, config }) {
        const deps = {
          auth,
          discovery,
          secretPatterns: readSecretKeyPatterns(config),
        };
        scaffolder.addActions(
          createArchonConfigWriteAction(deps),
          createArchonKafkaTopicCreateAction(deps),
          createArchonKafkaInputTopicsAction(deps),
          createArchonDeployAction(deps),
        );
      },
    });
  },
});
