import type { MarathonApp } from '../client/types';
import { ARCHON_LABELS } from '../render/renderApp';

/** Query values as the validator leaves them: booleans and numbers may arrive as strings. */
export function bool(value: unknown): boolean {
  return value === true || value === 'true';
}

export function int(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return Number(value);
}

/** The configuration path an app was deployed from, the resource of permission checks ('/' for apps archon did not deploy). */
export const pathOf = (app: MarathonApp) =>
  app.labels?.[ARCHON_LABELS.configPath] ?? '/';
