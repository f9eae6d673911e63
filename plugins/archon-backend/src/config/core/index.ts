/*
 * The pure core of the Pheidippides configuration service: paths, sets,
 * encodings, resolution, diffs, impact analysis and secret masking. No
 * ZooKeeper and no HTTP here; see docs/pheidippides.md for the semantics.
 */

export type {
  ConfigLevel,
  ConfigProperties,
  ConfigProvenance,
  ConfigResolutionFailure,
  ConfigResolutionOutcome,
  ConfigResolutionProblem,
  ConfigTreeSnapshot,
  CycleProblem,
  EffectiveConfig,
  InvalidReferenceProblem,
  MissingKeyProblem,
  ShadowedDefinition,
  UnterminatedReferenceProblem,
  ValueTooLargeProblem,
} from './types';
export {
  ancestorsOf,
  compareConfigPaths,
  formatConfigPath,
  isPrefixOf,
  isValidConfigPath,
  parentOf,
  parseConfigPath,
} from './ConfigPath';
export {
  DEFAULT_MAX_CONFIG_KEY_LENGTH,
  DEFAULT_MAX_CONFIG_SET_BYTES,
  configKeyProblem,
  validateConfigKey,
  validateConfigProperties,
  validateConfigSet,
  validateConfigSetSize,
} from './ConfigSetValidation';
export type { ConfigSetLimits } from './ConfigSetValidation';
export {
  JsonConfigSetCodec,
  PropertiesConfigSetCodec,
  configSetCodecs,
  decodeConfigLevelData,
  defaultConfigSetCodec,
  getConfigSetCodec,
  isNoConfigSetData,
} from './codecs';
export type { ConfigSetCodec } from './codecs';
export {
  hasSubstitutionSyntax,
  parseConfigValue,
  referencedKeysOf,
  transitiveReferencesOf,
} from './ConfigSubstitution';
export type {
  ConfigValueSyntaxProblem,
  ConfigValueToken,
  ParsedConfigValue,
} from './ConfigSubstitution';
export {
  ConfigResolutionError,
  formatResolutionFailure,
} from './ConfigResolutionError';
export {
  ConfigResolver,
  DEFAULT_MAX_RESOLVED_VALUE_LENGTH,
} from './ConfigResolver';
export type { ConfigResolverOptions } from './ConfigResolver';
export {
  levelClassifier,
  levelsWithDeeperSets,
  openLevelReason,
} from './levelResolution';
export type { LevelResolution } from './levelResolution';
export {
  ResolutionCache,
  DEFAULT_RESOLUTION_CACHE_ENTRIES,
} from './ResolutionCache';
export {
  createConfigTreeSnapshot,
  listConfigPaths,
  listConfigPathsAtOrBelow,
} from './ConfigTreeSnapshot';
export { diffEffectiveConfigs, isEmptyConfigDiff } from './ConfigDiff';
export type {
  ConfigDiff,
  ConfigDiffAdded,
  ConfigDiffChanged,
  ConfigDiffRemoved,
  DiffableConfig,
} from './ConfigDiff';
export { ConfigImpactAnalyzer } from './ConfigImpactAnalyzer';
export type {
  ConfigImpactAnalyzerOptions,
  ConfigImpactReport,
  ConfigPathChange,
  ConfigPathStartsFailing,
  ConfigPathStillFailing,
  ConfigPathStopsFailing,
} from './ConfigImpactAnalyzer';
export {
  DEFAULT_SECRET_KEY_PATTERNS,
  SECRET_MASK,
  isSecretKey,
  maskConfigDiff,
  maskEffectiveConfig,
  maskImpactReport,
  maskProvenance,
  maskResolutionFailure,
  maskSecrets,
} from './SecretMasking';
