/**
 * @archon/local-marathon: a local server implementing the part of Marathon's v2 REST API
 * archon uses, running apps as local processes. See README.md.
 */
export { startLocalMarathon } from './LocalMarathon';
export type { LocalMarathon } from './LocalMarathon';
export type { LocalMarathonOptions } from './options';
export { parsePortRange, DEFAULT_PORT_RANGE } from './options';
export type { AppDefinition, TaskFailure, MesosTaskState } from './model/types';
