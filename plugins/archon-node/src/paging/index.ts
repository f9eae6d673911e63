export * from './cursor';
export * from './pageQuery';
export * from './pageList';
