import {
  type CommittedOffset,
  type ListedOffset,
  tpKey,
} from './adapter/KafkaAdapter';

export interface PartitionLag {
  topic: string;
  partition: number;
  committedOffset: number | null;
  startOffset: number | null;
  endOffset: number | null;
  /** end − committed (never negative); null without a commit. */
  lag: number | null;
  /** How far behind in time: now − timestamp of the next record to consume. */
  timeLagMs?: number | null;
  /** Why the time lag is unknown (timeLagMs null): e.g. the record at the committed offset was deleted. */
  timeLagUnknown?: string;
  memberId?: string;
  clientId?: string;
  host?: string;
}

export interface GroupSummary {
  groupId: string;
  state: string;
  protocolType: string;
  members: number;
  topics: string[];
  totalLag: number | null;
}

export function computeLag(
  committed: number | null,
  end: number | null,
): number | null {
  if (committed === null || end === null || committed < 0 || end < 0)
    return null;
  return Math.max(0, end - committed);
}

export function okOffset(o: ListedOffset | undefined): number | null {
  return o && !o.errorCode && o.offset >= 0 ? o.offset : null;
}

export function sumLag(
  offsets: CommittedOffset[],
  ends: Map<string, ListedOffset>,
): number | null {
  let total = 0;
  for (const o of offsets) {
    const lag = computeLag(
      o.offset,
      okOffset(ends.get(tpKey(o.topic, o.partition))),
    );
    if (lag === null) return null;
    total += lag;
  }
  return total;
}
