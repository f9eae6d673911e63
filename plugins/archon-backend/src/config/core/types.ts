/*
 * Shared types of the Pheidippides configuration core. Everything here is
 * plain data so it can be serialised as-is into API responses.
 */

/** A configuration set: keys mapped to UTF-8 string values. */
export type ConfigProperties = Record<string, string>;

/**
 * One level of the configuration tree as read from ZooKeeper.
 *
 * A level may exist without holding a configuration set (an intermediate
 * znode with empty data); then `hasSet` is false and `properties` is `{}`.
 */
export interface ConfigLevel {
  /** The level's configuration set; `{}` when `hasSet` is false. */
  properties: Readonly<ConfigProperties>;
  /** The znode's data version, for optimistic concurrency. */
  version: number;
  /** False for intermediate levels that exist but hold no set. */
  hasSet: boolean;
}

/**
 * An in-memory copy of the configuration tree: every level that exists,
 * keyed by configuration path. Readers take `ReadonlyMap` so that callers can
 * pass a `Map` they keep mutating elsewhere without fear of it being changed.
 */
export type ConfigTreeSnapshot = ReadonlyMap<string, ConfigLevel>;

/** A definition that lost to a deeper one. */
export interface ShadowedDefinition {
  /** The level that defined it. */
  path: string;
  /** The value as written there, before substitution. */
  raw: string;
}

/** Where an effective key's value came from. */
export interface ConfigProvenance {
  /** The deepest level that defines the key; its definition wins. */
  definedAt: string;
  /** The winning value as written, before `${}` substitution. */
  raw: string;
  /** Definitions further up that lost, nearest (deepest) first. */
  shadowed: ShadowedDefinition[];
}

/** The fully resolved configuration of one path. */
export interface EffectiveConfig {
  /** The path that was resolved. */
  path: string;
  /** Every effective key with its substituted value, keys sorted. */
  properties: ConfigProperties;
  /** For every key of `properties`, where its value came from. */
  provenance: Record<string, ConfigProvenance>;
  /**
   * The znode version of every level along the path that exists in the
   * snapshot (with or without a set), shallowest first. Levels without a set
   * are included because writing a set there would change the result.
   */
  versions: Record<string, number>;
}

/** A `${key}` that names a key with no effective value. */
export interface MissingKeyProblem {
  kind: 'missing-key';
  /** The key that was referenced but is not defined. */
  key: string;
  /** The key whose value contains the reference. */
  referencedBy: string;
  /** The level that defined the referring value. */
  writtenAt: string;
  message: string;
}

/** References that loop back on themselves, e.g. `a → b → a`. */
export interface CycleProblem {
  kind: 'cycle';
  /** The keys around the loop, first key repeated at the end. */
  cycle: string[];
  /** Each key on the loop with the level that wrote its referring value. */
  references: Array<{ key: string; writtenAt: string }>;
  message: string;
}

/** A `${` with no closing `}` in the rest of the value. */
export interface UnterminatedReferenceProblem {
  kind: 'unterminated-reference';
  /** The key whose value is malformed. */
  key: string;
  writtenAt: string;
  /** 0-based offset of the `${` in the raw value. */
  offset: number;
  message: string;
}

/** A `${...}` whose content is not a valid key, e.g. `${}` or `${a b}`. */
export interface InvalidReferenceProblem {
  kind: 'invalid-reference';
  key: string;
  writtenAt: string;
  /** The text between `${` and `}`. */
  reference: string;
  /** 0-based offset of the `${` in the raw value. */
  offset: number;
  message: string;
}

/** A substituted value grew past the resolver's limit (e.g. `a=${b}${b}`, `b=${c}${c}`, ...). */
export interface ValueTooLargeProblem {
  kind: 'value-too-large';
  key: string;
  writtenAt: string;
  /** The limit, in UTF-16 code units. */
  limit: number;
  message: string;
}

export type ConfigResolutionProblem =
  | MissingKeyProblem
  | CycleProblem
  | UnterminatedReferenceProblem
  | InvalidReferenceProblem
  | ValueTooLargeProblem;

/** Everything that went wrong while resolving one path. */
export interface ConfigResolutionFailure {
  path: string;
  /** The root causes, in a stable order. */
  problems: ConfigResolutionProblem[];
  /**
   * Every key that could not be resolved, sorted: the keys named by
   * `problems` plus those that depend on them through `${}`.
   */
  unresolvedKeys: string[];
  /** As in {@link EffectiveConfig.versions}. */
  versions: Record<string, number>;
}

/** The result of resolving a path without throwing. */
export type ConfigResolutionOutcome =
  | { ok: true; config: EffectiveConfig }
  | { ok: false; failure: ConfigResolutionFailure };
