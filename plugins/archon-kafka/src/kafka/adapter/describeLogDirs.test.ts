import { Writer } from '@archon/kafka-wire';
import { decodeDescribeLogDirsV1, encodeDescribeLogDirsV1 } from './wire';

describe('DescribeLogDirs v1', () => {
  it('asks for every topic with a null array, or for the named partitions', () => {
    expect([...encodeDescribeLogDirsV1(null)]).toEqual([255, 255, 255, 255]);
    expect([
      ...encodeDescribeLogDirsV1([{ topic: 't', partitions: [3] }]),
    ]).toEqual([0, 0, 0, 1, 0, 1, ...Buffer.from('t'), 0, 0, 0, 1, 0, 0, 0, 3]);
  });

  it('decodes each replica with its size and names directories that failed', () => {
    const partition = (w: Writer, p: [number, number, boolean]) =>
      w.int32(p[0]).int64(p[1]).int64(0).bool(p[2]);
    const answer = new Writer()
      .int32(0)
      .array(
        [
          {
            error: 0,
            dir: '/data/a',
            parts: [
              [0, 1234, false],
              [1, 0, true],
            ],
          },
          { error: 57, dir: '/data/b', parts: [] },
        ] as Array<{
          error: number;
          dir: string;
          parts: [number, number, boolean][];
        }>,
        (w, d) =>
          w
            .int16(d.error)
            .string(d.dir)
            .array(d.parts.length ? [d.parts] : [], (tw, parts) =>
              tw.string('orders').array(parts, partition),
            ),
      )
      .build();
    expect(decodeDescribeLogDirsV1(answer)).toEqual({
      replicas: [
        {
          logDir: '/data/a',
          topic: 'orders',
          partition: 0,
          sizeBytes: 1234,
          isFuture: false,
        },
        {
          logDir: '/data/a',
          topic: 'orders',
          partition: 1,
          sizeBytes: 0,
          isFuture: true,
        },
      ],
      failedDirs: [{ logDir: '/data/b', errorCode: 57 }],
    });
  });
});
