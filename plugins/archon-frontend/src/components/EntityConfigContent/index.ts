export {
  EntityConfigContent,
  CONFIG_PATH_ANNOTATION,
} from './EntityConfigContent';
