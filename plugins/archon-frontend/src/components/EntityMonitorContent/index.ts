export { EntityMonitorContent } from './EntityMonitorContent';
