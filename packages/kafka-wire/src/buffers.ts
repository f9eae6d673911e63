/**
 * The byte-level Writer and Reader behind every hand-written Kafka request in
 * archon: the primitive types, classic and compact (flexible-version) strings
 * and arrays, unsigned varints and tagged-field sections.
 * Reference: https://kafka.apache.org/protocol
 */

/** Builds a request body. */
export class Writer {
  #chunks: Buffer[] = [];

  int8(v: number) {
    const b = Buffer.alloc(1);
    b.writeInt8(v);
    return this.#push(b);
  }
  int16(v: number) {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    return this.#push(b);
  }
  int32(v: number) {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return this.#push(b);
  }
  int64(v: number | bigint) {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(v));
    return this.#push(b);
  }
  bool(v: boolean) {
    return this.int8(v ? 1 : 0);
  }
  uvarint(v: number) {
    const bytes: number[] = [];
    let value = v >>> 0;
    while (value >= 0x80) {
      bytes.push((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    bytes.push(value);
    return this.#push(Buffer.from(bytes));
  }
  /** Classic (int16-length) string; null encodes as -1. */
  string(v: string | null) {
    if (v === null) return this.int16(-1);
    const b = Buffer.from(v, 'utf8');
    return this.int16(b.length).#push(b);
  }
  /** Compact (flexible-version) string; null encodes as 0. */
  compactString(v: string | null) {
    if (v === null) return this.uvarint(0);
    const b = Buffer.from(v, 'utf8');
    return this.uvarint(b.length + 1).#push(b);
  }
  array<T>(items: T[] | null, each: (w: Writer, item: T) => void) {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) each(this, item);
    return this;
  }
  compactArray<T>(items: T[] | null, each: (w: Writer, item: T) => void) {
    if (items === null) return this.uvarint(0);
    this.uvarint(items.length + 1);
    for (const item of items) each(this, item);
    return this;
  }
  /** An empty tagged-field section (flexible versions). */
  tags() {
    return this.uvarint(0);
  }
  build(): Buffer {
    return Buffer.concat(this.#chunks);
  }
  #push(b: Buffer) {
    this.#chunks.push(b);
    return this;
  }
}

/** Reads a response body. */
export class Reader {
  #at = 0;
  readonly buf: Buffer;
  constructor(buf: Buffer) {
    this.buf = buf;
  }

  int8() {
    const v = this.buf.readInt8(this.#at);
    this.#at += 1;
    return v;
  }
  int16() {
    const v = this.buf.readInt16BE(this.#at);
    this.#at += 2;
    return v;
  }
  int32() {
    const v = this.buf.readInt32BE(this.#at);
    this.#at += 4;
    return v;
  }
  /** int64 as a JS number (offsets and timestamps stay far below 2^53). */
  int64() {
    const v = this.buf.readBigInt64BE(this.#at);
    this.#at += 8;
    return Number(v);
  }
  bool() {
    return this.int8() !== 0;
  }
  uvarint() {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buf.readUInt8(this.#at++);
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
      shift += 7;
    }
  }
  string(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    return this.#text(length);
  }
  compactString(): string | null {
    const length = this.uvarint() - 1;
    if (length < 0) return null;
    return this.#text(length);
  }
  array<T>(each: (r: Reader) => T): T[] {
    const n = this.int32();
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(each(this));
    return out;
  }
  compactArray<T>(each: (r: Reader) => T): T[] {
    const n = this.uvarint() - 1;
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(each(this));
    return out;
  }
  /** The next `length` raw bytes; a response cut short fails here, not later. */
  bytes(length: number): Buffer {
    const v = this.buf.subarray(this.#at, this.#at + length);
    if (v.length !== length) throw new RangeError('truncated Kafka response');
    this.#at += length;
    return v;
  }
  /** Where the next read starts (for sections whose size is given up front). */
  get position(): number {
    return this.#at;
  }
  /** Continues reading at `offset` (past a section this reader need not decode). */
  seek(offset: number) {
    this.#at = offset;
  }
  skipTags() {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint(); // tag
      this.bytes(this.uvarint());
    }
  }
  #text(length: number) {
    const v = this.buf.toString('utf8', this.#at, this.#at + length);
    this.#at += length;
    return v;
  }
}
