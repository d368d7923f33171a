// `replayed_actions` holds one entry per audit row: ten million rows as a JS
// array of (shared) strings is 80 MB of pointers, and up to half again while
// the array grows. Logs hold a handful of distinct actions, so each row keeps
// a byte, the index of its action in a side table of the distinct strings.
// A pathological log with more than 256 distinct actions widens the codes to
// 32 bits (still 4 bytes a row, and still exact).

const INITIAL_CAPACITY = 1024;
const BYTE_CODES = 256;

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
    let code: number;
    // Rows mostly share a few actions; skip the map lookup for a repeat.
    if (action === this.lastAction) {
      code = this.lastCode;
    } else {
      const known = this.codeOf.get(action);
      if (known === undefined) {
        code = this.table.length;
        this.table.push(action);
        this.codeOf.set(action, code);
        if (code >= BYTE_CODES && this.codes instanceof Uint8Array) this.codes = Uint32Array.from(this.codes);
      } else {
        code = known;
      }
      this.lastAction = action;
      this.lastCode = code;
    }
    if (this.count === this.codes.length) this.grow();
    this.codes[this.count] = code;
    this.count += 1;
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

  private grow(): void {
    // Doubling keeps the copies linear; the old codes are garbage right after.
    const grown = this.codes instanceof Uint8Array ? new Uint8Array(this.codes.length * 2) : new Uint32Array(this.codes.length * 2);
    grown.set(this.codes);
    this.codes = grown;
  }
}
