import { useApi } from '@backstage/frontend-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { NamePickerField } from './NamePickerField';

/**
 * `ui:field: ArchonKafkaClusterPicker`: one of the Kafka clusters configured
 * in archon (GET /kafka), with its brokers as the second line.
 */
export const ArchonKafkaClusterPicker = (
  props: FieldExtensionComponentProps<string>,
) => {
  const api = useApi(archonApiRef);
  const clusters = useAsync(
    async () => (await unwrap(api.kafkaListClusters({}))).items,
    [api],
  );
  return (
    <NamePickerField
      {...props}
      testId="archon-kafka-cluster-picker"
      loading={clusters.loading}
      error={clusters.error}
      options={(clusters.value ?? []).map(cluster => ({
        name: cluster.name,
        detail: cluster.brokers.join(', '),
      }))}
    />
  );
};
