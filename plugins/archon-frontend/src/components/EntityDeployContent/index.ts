export { EntityDeployContent } from './EntityDeployContent';
