import { Reader, Writer } from './buffers';

describe('Writer and Reader', () => {
  it('round-trip unsigned varints', () => {
    expect(new Reader(Buffer.from([0xac, 0x02])).uvarint()).toBe(300);
    expect([...new Writer().uvarint(300).build()]).toEqual([0xac, 0x02]);
    expect(new Reader(new Writer().uvarint(2 ** 31).build()).uvarint()).toBe(
      2 ** 31,
    );
  });

  it('round-trip classic and compact strings, null included', () => {
    const buf = new Writer()
      .string('orders')
      .string(null)
      .compactString('é')
      .compactString(null)
      .build();
    const r = new Reader(buf);
    expect([
      r.string(),
      r.string(),
      r.compactString(),
      r.compactString(),
    ]).toEqual(['orders', null, 'é', null]);
    expect(r.position).toBe(buf.length);
  });

  it('skips tagged fields and fails on a response cut short', () => {
    const tagged = new Writer().uvarint(1).uvarint(5).uvarint(2).int16(7);
    const r = new Reader(tagged.int32(42).build());
    r.skipTags();
    expect(r.int32()).toBe(42);
    const cut = new Reader(
      new Writer().uvarint(1).uvarint(5).uvarint(9).build(),
    );
    expect(() => cut.skipTags()).toThrow('truncated Kafka response');
  });
});
