import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';

/**
 * archon's scaffolder fields (`ui:field` in a template): Kafka cluster,
 * deploy target and topic pickers fed by archon's API. Loaded on demand, so
 * the scaffolder's bundle only grows when a form opens.
 */
export const kafkaClusterPickerField = FormFieldBlueprint.make({
  name: 'archon-kafka-cluster-picker',
  params: {
    field: () =>
      import('./ArchonKafkaClusterPicker').then(m =>
        createFormField({
          name: 'ArchonKafkaClusterPicker',
          component: m.ArchonKafkaClusterPicker,
        }),
      ),
  },
});

export const deployTargetPickerField = FormFieldBlueprint.make({
  name: 'archon-deploy-target-picker',
  params: {
    field: () =>
      import('./ArchonDeployTargetPicker').then(m =>
        createFormField({
          name: 'ArchonDeployTargetPicker',
          component: m.ArchonDeployTargetPicker,
        }),
      ),
  },
});

export const topicPickerField = FormFieldBlueprint.make({
  name: 'archon-topic-picker',
  params: {
    field: () =>
      import('./ArchonTopicPicker').then(m =>
        createFormField({
          name: 'ArchonTopicPicker',
          component: m.ArchonTopicPicker,
          validation: m.validateTopicPickerValue,
        }),
      ),
  },
});
