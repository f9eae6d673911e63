import type { MarathonApp } from '../client/types';
import { ARCHON_LABELS } from '../render/renderApp';

/** The configuration path an app was deployed from, the resource of permission checks ('/' for apps archon did not deploy). */
export const pathOf = (app: MarathonApp) =>
  app.labels?.[ARCHON_LABELS.configPath] ?? '/';
