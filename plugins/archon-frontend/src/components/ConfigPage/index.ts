export { ConfigPage } from './ConfigPage';
export { ConfigLevelView } from './ConfigLevelView';
export { ConfigSetEditor } from './ConfigSetEditor';
export { EffectiveConfigView } from './EffectiveConfigView';
export { ConfigHistory } from './ConfigHistory';
