// `replayed_actions` holds one entry per audit row: ten million rows as a JS
// array of (shared) strings is 80 MB of pointers, and up to half again while
// the array grows. Logs hold a handful of distinct actions, so each row keeps
// a byte, the index of its action in a side table of the distinct strings.
// A pathological log with more than 256 distinct actions widens the codes to
// 32 bits (still 4 bytes a row, and still exact).

const INITIAL_CAPACITY = 1024;
const BYTE_CODES = 256;

/** An action list as plain data (codes into `table`), for posting between threads. */
export interface AuditActionCodes {
  codes: Uint8Array | Uint32Array;
  table: string[];
}

/** The actions of a replay, in log order, one small code per row. Iterable; `toJSON` gives the plain array. */
export class AuditActionList implements Iterable<string> {
  private codes: Uint8Array | Uint32Array = new Uint8Array(INITIAL_CAPACITY);
  private count = 0;
  /** The distinct actions, by code. */
  private readonly table: string[] = [];
  private readonly codeOf = new Map<string, number>();
  private lastAction: string | undefined;
  private lastCode = 0;

  get length(): number {
    return this.count;
  }

  push(action: string): void {
    const code = this.codeFor(action);
    if (this.count === this.codes.length) this.grow(this.count + 1);
    this.codes[this.count] = code;
    this.count += 1;
  }

  /** The code of `action`, added to the table when new (widening the codes past 256 distinct actions). */
  private codeFor(action: string): number {
    // Rows mostly share a few actions; skip the map lookup for a repeat.
    if (action === this.lastAction) return this.lastCode;
    let code = this.codeOf.get(action);
    if (code === undefined) {
      code = this.table.length;
      this.table.push(action);
      this.codeOf.set(action, code);
      if (code >= BYTE_CODES && this.codes instanceof Uint8Array) this.codes = Uint32Array.from(this.codes);
    }
    this.lastAction = action;
    this.lastCode = code;
    return code;
  }

  /** Rows per action, in order of first appearance. */
  counts(): [string, number][] {
    const perCode = new Float64Array(this.table.length);
    const { codes } = this;
    for (let index = 0; index < this.count; index += 1) {
      const code = codes[index] as number;
      perCode[code] = (perCode[code] as number) + 1;
    }
    return this.table.map((action, code): [string, number] => [action, perCode[code] as number]).filter(([, count]) => count > 0);
  }

  /** The list as plain data a worker thread can post: its codes (trimmed copy) and their table. */
  toCodes(): AuditActionCodes {
    return { codes: this.codes.slice(0, this.count), table: [...this.table] };
  }

  /** Appends the actions of `other` (another list's `toCodes()`), in order. */
  appendCodes(other: AuditActionCodes): void {
    const { codes, table } = other;
    // One lookup per distinct action, then a code per row.
    const mapped = table.map((action) => this.codeFor(action));
    // To the exact size: a replay appends its ranges at the end, and doubling would leave up to half unused.
    this.grow(this.count + codes.length, true);
    const target = this.codes;
    let at = this.count;
    for (let index = 0; index < codes.length; index += 1) {
      target[at] = mapped[codes[index] as number] as number;
      at += 1;
    }
    this.count = at;
  }

  /** The action of row `index` (0-based); undefined out of range. */
  at(index: number): string | undefined {
    if (index < 0) index += this.count;
    if (index < 0 || index >= this.count) return undefined;
    return this.table[this.codes[index] as number];
  }

  *[Symbol.iterator](): Iterator<string> {
    const { table } = this;
    for (let index = 0; index < this.count; index += 1) yield table[this.codes[index] as number] as string;
  }

  /** A plain array of the actions (for small logs, tests and `JSON.stringify`). */
  toJSON(): string[] {
    return [...this];
  }

  /** Makes room for `needed` codes (doubling keeps the copies linear; `exact`: no more); the old codes are garbage right after. */
  private grow(needed: number, exact = false): void {
    if (needed <= this.codes.length) return;
    let capacity = exact ? needed : this.codes.length;
    while (capacity < needed) capacity *= 2;
    const grown = this.codes instanceof Uint8Array ? new Uint8Array(capacity) : new Uint32Array(capacity);
    grown.set(this.codes.subarray(0, this.count));
    this.codes = grown;
  }
}
