import { maskConfig, unmaskConfig } from '../connect/maskSecrets';
import { Reader, Writer } from '@archon/kafka-wire';
import { decodeOffsetFetchV8, encodeOffsetFetchV8 } from './adapter/wire';
import { formatPayload } from './messageFormat';
import { validateTopicName } from '@archon/plugin-archon-common';
import { collidingTopic } from './topicNames';
import { computeLag } from './ConsumerGroupService';
import { offsetResetSummary } from './offsetResetSummary';

describe('pure pieces', () => {
  it('encodes OffsetFetch v8 with a header tag section and decodes its answer', () => {
    const req = encodeOffsetFetchV8(['g1']);
    expect([...req]).toEqual([0, 2, 3, ...Buffer.from('g1'), 0, 0, 0, 0]);
    const res = new Writer()
      .tags()
      .int32(0)
      .compactArray([0], w =>
        w
          .compactString('g1')
          .compactArray([0], tw =>
            tw
              .compactString('t')
              .compactArray([0], pw =>
                pw
                  .int32(2)
                  .int64(42)
                  .int32(-1)
                  .compactString(null)
                  .int16(0)
                  .tags(),
              )
              .tags(),
          )
          .int16(0)
          .tags(),
      )
      .tags()
      .build();
    expect(decodeOffsetFetchV8(res)).toEqual([
      {
        groupId: 'g1',
        errorCode: 0,
        offsets: [{ topic: 't', partition: 2, offset: 42, errorCode: 0 }],
      },
    ]);
    expect(new Reader(new Writer().uvarint(300).build()).uvarint()).toBe(300);
  });

  it("applies Kafka's topic name rules", () => {
    expect(() => validateTopicName('orders.v1_x-2')).not.toThrow();
    expect(() => validateTopicName('..')).toThrow(/cannot be/);
    expect(() => validateTopicName('a b')).toThrow(/only ASCII letters/);
    expect(() => validateTopicName('x'.repeat(250))).toThrow(/at most 249/);
    expect(collidingTopic('a.b', ['a_b', 'c'])).toBe('a_b');
  });

  it('formats payloads', () => {
    expect(formatPayload(Buffer.from('{"a":1}'), 'auto')).toEqual({
      format: 'json',
      text: '{\n  "a": 1\n}',
      size: 7,
    });
    expect(formatPayload(Buffer.from('hello'), 'auto')).toEqual({
      format: 'utf8',
      text: 'hello',
      size: 5,
    });
    expect(formatPayload(Buffer.from([0xff, 0x00, 0x01]), 'auto')).toEqual({
      format: 'hex',
      text: 'ff0001',
      size: 3,
    });
    expect(formatPayload(Buffer.from('nope'), 'json')?.error).toMatch(
      /not valid JSON/,
    );
    expect(formatPayload(null, 'auto')).toBeNull();
  });

  it('masks secret-looking config values and keeps them on round trip', () => {
    const masked = maskConfig({
      'db.Password': 'p',
      'api.token': 't',
      'aws.secret.key': 's',
      'sasl.CREDENTIALS': 'c',
      file: '/x',
    });
    expect(masked).toEqual({
      'db.Password': '********',
      'api.token': '********',
      'aws.secret.key': '********',
      'sasl.CREDENTIALS': '********',
      file: '/x',
    });
    expect(
      unmaskConfig(
        { 'db.Password': '********', file: '/y' },
        { 'db.Password': 'p' },
      ),
    ).toEqual({ 'db.Password': 'p', file: '/y' });
  });

  it('masks connector configs by the configured secret-key patterns, not a fixed list', () => {
    expect(
      maskConfig({ 'card.pin': '1234', 'db.password': 'p' }, ['pin']),
    ).toEqual({ 'card.pin': '********', 'db.password': 'p' });
    expect(
      unmaskConfig({ 'card.pin': '********' }, { 'card.pin': '1234' }, ['pin']),
    ).toEqual({ 'card.pin': '1234' });
  });

  it('computes lag', () => {
    expect(computeLag(3, 10)).toBe(7);
    expect(computeLag(12, 10)).toBe(0);
    expect(computeLag(null, 10)).toBeNull();
  });

  it('summarises an offset reset per partition for the audit, naming the first 50 partitions and counting the rest', () => {
    const partitions = Array.from({ length: 60 }, (_, i) => ({
      topic: 't',
      partition: i,
      currentOffset: i === 0 ? null : 10,
      newOffset: i < 2 ? 0 : 10,
    }));
    const { before, after } = offsetResetSummary({
      partitions,
      totalLagBefore: 5,
      totalLagAfter: 25,
    });
    expect(Object.keys(before.offsets as object)).toHaveLength(50);
    expect(before).toMatchObject({
      totalLag: 5,
      morePartitions: 10,
      offsets: { 't/0': null, 't/1': 10, 't/49': 10 },
    });
    expect(after).toMatchObject({
      totalLag: 25,
      morePartitions: 10,
      offsets: { 't/0': 0, 't/1': 0, 't/2': 10 },
    });
    // Only the partitions whose offset moved.
    expect(after.changed).toEqual(['t/0: none → 0', 't/1: 10 → 0']);
  });
});
