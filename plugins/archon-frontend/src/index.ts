/**
 * archon's frontend plugin.
 *
 * @packageDocumentation
 */
export { archonPlugin as default } from './plugin';
export { archonApiRef } from './api';
