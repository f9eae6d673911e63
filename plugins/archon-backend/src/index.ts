/**
 * The archon backend plugin.
 *
 * @packageDocumentation
 */
export { archonPlugin as default } from './plugin';
