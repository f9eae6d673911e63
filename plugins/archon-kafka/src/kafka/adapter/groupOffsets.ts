import type { CommittedOffset, KafkaClusterMetadata } from './KafkaAdapter';
import {
  type BrokerAccess,
  protocolError,
  sendRequest,
} from './kafkajsInternals';
import {
  API_KEYS,
  decodeOffsetCommitV7,
  decodeOffsetFetchV8,
  encodeOffsetCommitV7,
  encodeOffsetFetchV8,
  type GroupOffsets,
} from './wire';

/** COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR. */
const COORDINATOR_RETRIABLE = new Set([14, 15, 16]);
const COORDINATOR_RETRY_MS = 15_000;

/** Java's String.hashCode, as Kafka uses it to place a group's coordinator. */
function javaHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++)
    h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

async function coordinatorFor(
  groupId: string,
  meta: KafkaClusterMetadata,
): Promise<number | undefined> {
  const offsets = meta.topics.find(t => t.name === '__consumer_offsets');
  if (!offsets || offsets.partitions.length === 0) return undefined;
  const h = javaHashCode(groupId);
  const index =
    (h === -2147483648 ? 0 : Math.abs(h)) % offsets.partitions.length;
  const leader = offsets.partitions.find(p => p.partition === index)?.leader;
  return leader !== undefined && leader >= 0 ? leader : undefined;
}

/** A group's committed offsets: partitions without one (-1) or with an error left out. */
function committedOf(group: GroupOffsets): CommittedOffset[] {
  return group.offsets
    .filter(o => o.offset >= 0 && !o.errorCode)
    .map(o => ({
      topic: o.topic,
      partition: o.partition,
      offset: o.offset,
    }));
}

/** OffsetFetch v8 (KIP-709), many groups per request to the computed coordinator. */
export async function committedOffsets(
  kafka: BrokerAccess,
  groupIds: string[],
): Promise<Map<string, CommittedOffset[]>> {
  const out = new Map<string, CommittedOffset[]>();
  if (groupIds.length === 0) return out;
  const cluster = await kafka.cluster();
  const meta = await kafka.metadata();
  const byCoordinator = new Map<number, string[]>();
  const unplaced: string[] = [];
  for (const g of groupIds) {
    const c = await coordinatorFor(g, meta);
    if (c === undefined) unplaced.push(g);
    else byCoordinator.set(c, [...(byCoordinator.get(c) ?? []), g]);
  }
  const retry: string[] = [...unplaced];
  const CHUNK = 200;
  const jobs: Promise<void>[] = [];
  for (const [nodeId, ids] of byCoordinator) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      jobs.push(
        (async () => {
          const broker = await cluster.findBroker({ nodeId });
          const groups = await sendRequest(
            broker,
            API_KEYS.OffsetFetch,
            8,
            'OffsetFetch',
            encodeOffsetFetchV8(chunk),
            decodeOffsetFetchV8,
          );
          for (const g of groups) {
            if (COORDINATOR_RETRIABLE.has(g.errorCode)) {
              retry.push(g.groupId);
              continue;
            }
            if (g.errorCode)
              throw protocolError(g.errorCode, `group ${g.groupId}`);
            out.set(g.groupId, committedOf(g));
          }
        })(),
      );
    }
  }
  await kafka.withReset(() => Promise.all(jobs));
  // Groups whose coordinator moved (or no __consumer_offsets yet): ask kafkajs.
  for (const groupId of retry) {
    const broker = await cluster.findGroupCoordinator({ groupId });
    const [g] = await sendRequest(
      broker,
      API_KEYS.OffsetFetch,
      8,
      'OffsetFetch',
      encodeOffsetFetchV8([groupId]),
      decodeOffsetFetchV8,
    );
    if (g.errorCode) throw protocolError(g.errorCode, `group ${groupId}`);
    out.set(groupId, committedOf(g));
  }
  return out;
}

/** OffsetCommit v7 with generation -1, as Kafka's AdminClient: no group join. */
export async function commitOffsets(
  kafka: BrokerAccess,
  groupId: string,
  offsets: CommittedOffset[],
): Promise<void> {
  const cluster = await kafka.cluster();
  // A coordinator that is still loading __consumer_offsets (a fresh
  // cluster, a restarted broker) or that just moved answers with a
  // retriable code: find it again and resend, for a bounded time.
  const deadline = Date.now() + COORDINATOR_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    const broker = await kafka.withReset(() =>
      cluster.findGroupCoordinator({ groupId }),
    );
    const answer = await kafka.withReset(() =>
      sendRequest(
        broker,
        API_KEYS.OffsetCommit,
        7,
        'OffsetCommit',
        encodeOffsetCommitV7(groupId, offsets),
        decodeOffsetCommitV7,
      ),
    );
    const failed = answer.find(p => p.errorCode);
    if (!failed) return;
    if (!COORDINATOR_RETRIABLE.has(failed.errorCode) || Date.now() > deadline) {
      throw protocolError(
        failed.errorCode,
        `${failed.topic}[${failed.partition}]`,
      );
    }
    await new Promise(r => setTimeout(r, Math.min(100 * 2 ** attempt, 1000)));
  }
}
