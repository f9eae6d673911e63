import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import type { AppRef } from '../../lib/appEntity';
import { unwrap } from '../../lib/errors';

/**
 * Where an app runs: the Marathon instance its annotation names, or else the
 * deploy targets archon knows (the first one until the user picks another).
 */
export function useAppTarget(ref: AppRef) {
  const api = useApi(archonApiRef);
  const [chosen, setChosen] = useState<string>();
  const targets = useAsync(async () => {
    if (ref.instance) return [{ name: ref.instance, kind: 'marathon' }];
    return (await unwrap(api.listDeployTargets({}))).items;
  }, [api, ref.instance]);
  const items = targets.value ?? [];
  return {
    instance: chosen ?? ref.instance ?? items[0]?.name,
    targets: items,
    setInstance: setChosen,
    loading: targets.loading,
    error: targets.error,
  };
}
