export const pluginId = 'archon';
