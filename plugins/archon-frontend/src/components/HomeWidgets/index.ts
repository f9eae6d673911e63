export { AttentionWidget } from './AttentionWidget';
export { GraphSearchWidget } from './GraphSearchWidget';
export { RecentDeploysWidget } from './RecentDeploysWidget';
export { SystemHealthWidget } from './SystemHealthWidget';
