import { useEffect, useRef, useState } from 'react';

/**
 * Loads now, whenever `key` changes, and every `intervalMs` after. The last
 * good value stays while a refresh runs or fails, so a live diagram keeps
 * its place instead of flashing a spinner every few seconds.
 */
export function usePolled<T>(
  load: () => Promise<T>,
  key: string,
  intervalMs: number,
) {
  const [state, setState] = useState<{
    value?: T;
    error?: Error;
    key?: string;
  }>({});
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const value = await loadRef.current();
        if (!cancelled) setState({ value, key });
      } catch (error) {
        if (!cancelled) setState(s => ({ ...s, error: error as Error }));
      }
      if (!cancelled) timer = setTimeout(run, intervalMs);
    };
    run();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [key, intervalMs]);

  return {
    value: state.value,
    error: state.error,
    /** True until the answer for the current key arrived. */
    loading: state.key !== key && !state.error,
    /** The key `value` was loaded for (an older one while `loading`). */
    valueKey: state.key,
  };
}
