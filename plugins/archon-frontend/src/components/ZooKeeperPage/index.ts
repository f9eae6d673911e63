export { ZooKeeperPage } from './ZooKeeperPage';
