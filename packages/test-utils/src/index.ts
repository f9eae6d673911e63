/**
 * @archon/test-utils: the one way archon's suites start an archon backend
 * (startArchonTestBackend), a private local Marathon, a second portal on a
 * private cluster (startPrivatePortal), and the request
 * helpers the fault and deadline tests share. The polling helpers and the
 * cluster's test info come from @archon/local-cluster/testing and are
 * re-exported here, so a suite imports its harness from one place.
 */
export {
  startArchonTestBackend,
  type ArchonTestBackend,
  type ArchonTestBackendOptions,
} from './startArchonTestBackend';
export {
  startPrivateMarathon,
  type PrivateMarathon,
  type PrivateMarathonOptions,
} from './privateMarathon';
export {
  privateApi,
  startPrivatePortal,
  type PrivatePortal,
  type PrivatePortalOptions,
} from './privatePortal';
export { removeZnodeTree } from './removeZnodeTree';
export { removeTestNamespace } from './removeTestNamespace';
export { produceAt } from './produceAt';
export { mergeConfig } from './mergeConfig';
export { marathonRest } from './marathonRest';
export { answerOf, until, type Answer } from './answers';
export {
  eventually,
  getTestCluster,
  testNamespace,
  waitFor,
  type LocalClusterInfo,
  type TestNamespace,
} from '@archon/local-cluster/testing';
