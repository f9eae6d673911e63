export * from './ZooKeeperExplorer';
export * from './errors';
export * from './znodeData';
export * from './znodePath';
