import { CustomErrorBase } from '@backstage/errors';

/**
 * A write carried an `expectedVersion` that is no longer the set's version
 * (someone else wrote in between). Answered as 409 with the current set, so
 * the caller can merge and retry with the new version.
 */
export class ConfigVersionConflictError extends CustomErrorBase {
  name = 'ConfigVersionConflictError' as const;
  readonly current: {
    path: string;
    properties?: Record<string, string>;
    version?: number;
    exists: boolean;
  };

  constructor(message: string, current: ConfigVersionConflictError['current']) {
    super(message);
    this.current = current;
  }
}
