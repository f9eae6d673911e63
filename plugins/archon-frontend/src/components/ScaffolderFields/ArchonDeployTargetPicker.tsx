import { useApi } from '@backstage/frontend-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { NamePickerField } from './NamePickerField';

/**
 * `ui:field: ArchonDeployTargetPicker`: one of archon's deploy targets
 * (GET /deploy-targets), e.g. a Marathon instance, with its kind and endpoint.
 */
export const ArchonDeployTargetPicker = (
  props: FieldExtensionComponentProps<string>,
) => {
  const api = useApi(archonApiRef);
  const targets = useAsync(
    async () => (await unwrap(api.listDeployTargets({}))).items,
    [api],
  );
  return (
    <NamePickerField
      {...props}
      testId="archon-deploy-target-picker"
      loading={targets.loading}
      error={targets.error}
      options={(targets.value ?? []).map(target => ({
        name: target.name,
        detail: [target.kind, target.endpoint].filter(Boolean).join(' · '),
      }))}
    />
  );
};
