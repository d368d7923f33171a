// `replayed_actions` holds one entry per audit row: ten million rows as a JS
// array of (shared) strings is 80 MB of pointers, and up to half again while
// the array grows. Logs hold a handful of distinct actions, so each row keeps
// a byte, the index of its action in a side table of the distinct strings.
// A pathological log with more than 256 distinct actions widens the codes to
// 32 bits (still 4 bytes a row, and still exact).
//
// The codes live in chunks of 64 Ki codes, never in one growing array: a
// replay appends hundreds of ranges, and growing (or re-allocating exactly)
// one array of ten million codes for each would leave copies of it for the
// collector, which is where peak memory went (measured: 20 MiB more at 10M rows).

const FIRST_CHUNK_CAPACITY = 1024;
/** A chunk grows by doubling up to this many codes; later codes go to new chunks. */
const CHUNK_CODES = 64 * 1024;
const BYTE_CODES = 256;

type Codes = Uint8Array | Uint32Array;

/** An action list as plain data (codes into `table`), for posting between threads. */
export interface AuditActionCodes {
  /** The codes in order, in chunks (views of the list's own storage: the list must not change afterwards). */
  chunks: Codes[];
  table: string[];
  /** Rows per code (`counts[code]`), so that appending them needs no pass to count. */
  counts: number[];
}

/** The actions of a replay, in log order, one small code per row. Iterable; `toJSON` gives the plain array. */
export class AuditActionList implements Iterable<string> {
  /** Full chunks, each `CHUNK_CODES` long. */
  private readonly full: Codes[] = [];
  /** The chunk being filled. */
  private current: Codes = new Uint8Array(FIRST_CHUNK_CAPACITY);
  private currentLength = 0;
  private count = 0;
  /** The distinct actions, by code (shared with the list this one continues, if any). */
  private table: string[] = [];
  private codeOf = new Map<string, number>();
  /** Rows per code, counted as they are added (a pass over the codes later cost a deoptimization per range). */
  private perCode = new Float64Array(16);
  /** The last action coded, and its code (-1: none yet). */
  private lastAction = '';
  private lastCode = -1;

  /**
   * A new list extending the code table of `previous` instead of starting its
   * own: a thread summarizing range after range then meets a new action once,
   * not once per range (each time, it threw away the optimized scan).
   * `previous` must take no more actions.
   */
  static continuing(previous: AuditActionList | undefined): AuditActionList {
    // Every field keeps the kind of value it was created with (V8 optimizes for the kinds it saw).
    const list = new AuditActionList();
    if (previous === undefined) return list;
    list.table = previous.table;
    list.codeOf = previous.codeOf;
    list.lastAction = previous.lastAction;
    list.lastCode = previous.lastCode;
    if (list.table.length > list.perCode.length) list.perCode = new Float64Array(list.table.length * 2);
    if (list.table.length > BYTE_CODES) list.current = new Uint32Array(FIRST_CHUNK_CAPACITY);
    return list;
  }

  get length(): number {
    return this.count;
  }

  push(action: string): void {
    this.pushCode(this.codeFor(action));
  }

  private pushCode(code: number): void {
    if (this.currentLength === this.current.length) this.makeRoom();
    this.current[this.currentLength] = code;
    this.currentLength += 1;
    this.count += 1;
    this.perCode[code] = (this.perCode[code] as number) + 1;
  }

  /** The code of `action`, added to the table when new (widening the codes past 256 distinct actions). */
  private codeFor(action: string): number {
    // Rows mostly share a few actions; skip the map lookup for a repeat.
    // Read before the test, so that V8 has seen it read before a row first repeats its action.
    const lastCode = this.lastCode;
    if (lastCode >= 0 && action === this.lastAction) return lastCode;
    let code = this.codeOf.get(action);
    if (code === undefined) {
      code = this.table.length;
      this.table.push(action);
      this.codeOf.set(action, code);
      if (code >= this.perCode.length) {
        const grown = new Float64Array(Math.max(this.perCode.length * 2, code + 1));
        grown.set(this.perCode);
        this.perCode = grown;
      }
      if (code >= BYTE_CODES && this.current instanceof Uint8Array) this.widen();
    }
    this.lastAction = action;
    this.lastCode = code;
    return code;
  }

  /** Every chunk to 32-bit codes. */
  private widen(): void {
    for (let index = 0; index < this.full.length; index += 1) this.full[index] = Uint32Array.from(this.full[index] as Codes);
    const wider = new Uint32Array(this.current.length);
    wider.set(this.current.subarray(0, this.currentLength));
    this.current = wider;
  }

  /** The current chunk is full: double it while it is small, else start a new one. */
  private makeRoom(): void {
    const wide = this.current instanceof Uint32Array;
    if (this.current.length < CHUNK_CODES) {
      const grown = wide ? new Uint32Array(this.current.length * 2) : new Uint8Array(this.current.length * 2);
      grown.set(this.current);
      this.current = grown;
      return;
    }
    this.full.push(this.current);
    this.current = wide ? new Uint32Array(CHUNK_CODES) : new Uint8Array(CHUNK_CODES);
    this.currentLength = 0;
  }

  /**
   * Rows per action, in order of first appearance; for a list continuing
   * another's table, in that table's order (an action the thread met in an
   * earlier range comes first, and so was met earlier in the log too).
   */
  counts(): [string, number][] {
    return this.table.map((action, code): [string, number] => [action, this.perCode[code] as number]).filter(([, count]) => count > 0);
  }

  /** The list as plain data a worker thread can post: views of its chunks (no copy), and the table. */
  toCodes(): AuditActionCodes {
    return { chunks: this.chunkViews(), table: [...this.table], counts: Array.from(this.perCode.subarray(0, this.table.length)) };
  }

  /** Appends the actions of `other` (another list's `toCodes()`), in order. */
  appendCodes(other: AuditActionCodes): void {
    // One lookup per distinct action; the codes are copied in bulk when they keep their meaning here (the usual
    // case: the same few actions, first seen in the same order), else mapped one by one.
    const mapped = other.table.map((action) => this.codeFor(action));
    const same = mapped.every((code, index) => code === index);
    for (const chunk of other.chunks) {
      if (same) this.copyCodes(chunk);
      else this.mapCodes(chunk, mapped);
    }
    for (let code = 0; code < mapped.length; code += 1) {
      const here = mapped[code] as number;
      this.perCode[here] = (this.perCode[here] as number) + (other.counts[code] ?? 0);
    }
  }

  /** Appends `codes` as they are (their counts are the caller's to add). */
  private copyCodes(codes: Codes): void {
    for (let from = 0; from < codes.length; ) {
      if (this.currentLength === this.current.length) this.makeRoom();
      const take = Math.min(codes.length - from, this.current.length - this.currentLength);
      this.current.set(codes.subarray(from, from + take), this.currentLength);
      this.currentLength += take;
      this.count += take;
      from += take;
    }
  }

  /** Appends `codes` through `mapped` (their counts are the caller's to add). */
  private mapCodes(codes: Codes, mapped: number[]): void {
    for (let index = 0; index < codes.length; index += 1) {
      if (this.currentLength === this.current.length) this.makeRoom();
      this.current[this.currentLength] = mapped[codes[index] as number] as number;
      this.currentLength += 1;
      this.count += 1;
    }
  }

  /** The action of row `index` (0-based; negative counts from the end); undefined out of range. */
  at(index: number): string | undefined {
    if (index < 0) index += this.count;
    if (index < 0 || index >= this.count) return undefined;
    const chunk = Math.floor(index / CHUNK_CODES);
    const codes = chunk < this.full.length ? (this.full[chunk] as Codes) : this.current;
    return this.table[codes[index % CHUNK_CODES] as number];
  }

  [Symbol.iterator](): Iterator<string> {
    // A plain iterator, not a generator: writing a report walks every row's action, and a generator's
    // resumption per row cost about twice as much.
    const { table } = this;
    const chunks = this.chunkViews();
    let chunkIndex = 0;
    let chunk = chunks[0] as Codes;
    let index = 0;
    return {
      next(): IteratorResult<string> {
        while (index === chunk.length) {
          chunkIndex += 1;
          if (chunkIndex >= chunks.length) return { done: true, value: undefined };
          chunk = chunks[chunkIndex] as Codes;
          index = 0;
        }
        const value = table[chunk[index] as number] as string;
        index += 1;
        return { done: false, value };
      },
    };
  }

  /** A plain array of the actions (for small logs, tests and `JSON.stringify`). */
  toJSON(): string[] {
    return [...this];
  }

  private chunkViews(): Codes[] {
    return [...this.full, this.current.subarray(0, this.currentLength)];
  }
}
