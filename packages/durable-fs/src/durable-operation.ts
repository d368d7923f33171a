// Every durable operation (data write, append, fsync, rename, truncate) of this
// package goes through one of the functions below, so that one counter sees
// them all. The failpoint configuration is read once, lazily, on the first
// operation; when no failpoint is configured each operation costs one boolean
// check.
import fs from 'node:fs';
import {
  decideFailpointAction,
  parseFailpointSpec,
  type DurableOperationKind,
  type FailpointAction,
  type FailpointSpec,
} from './failpoint-spec.js';

interface FailpointConfig {
  readonly spec: FailpointSpec | undefined;
  readonly tracePath: string | undefined;
}

let active: boolean | undefined;
let config: FailpointConfig = { spec: undefined, tracePath: undefined };
let operationCount = 0;

function readFailpointConfig(): void {
  const spec = parseFailpointSpec(process.env.TAU_PO_FAILPOINT);
  const tracePath = process.env.TAU_PO_FAILPOINT_TRACE || undefined;
  config = { spec, tracePath };
  active = spec !== undefined || tracePath !== undefined;
}

function killSelfNow(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL to ourselves terminates us on return from the syscall; should the
  // kernel ever deliver it late, block here so no later operation can run.
  const blocker = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(blocker, 0, 0, 1000);
}

function nextOperation(kind: DurableOperationKind, path: string): FailpointAction {
  if (active === false) return 'proceed';
  if (active === undefined) {
    readFailpointConfig();
    if (!active) return 'proceed';
  }
  operationCount += 1;
  if (config.tracePath !== undefined) {
    fs.appendFileSync(config.tracePath, `${operationCount}\t${kind}\t${path}\n`);
  }
  const action = decideFailpointAction(config.spec, operationCount, kind);
  if (action === 'crash') killSelfNow();
  return action;
}

function writeAll(fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.length) {
    offset += fs.writeSync(fd, data, offset, data.length - offset);
  }
}

/**
 * Writes all of `data` at the file position of `fd` (one counted operation of
 * `kind`). Under `torn@N` the first half is written and the process dies.
 */
export function countedWrite(fd: number, data: Uint8Array, kind: 'write' | 'append', path: string): void {
  countedWritePieces(fd, [data], kind, path);
}

/**
 * Writes byte pieces one after another at the file position of `fd`, pulling
 * each only when the one before is written, so a long stream is never held
 * whole; the stream is ONE counted operation of `kind`, counted before its
 * first byte, whatever the number of pieces. Under `torn@N` every piece but
 * the last non-empty one is written, then the first half of the last, and the
 * process dies: the tear lands at the end of the stream, after the writes
 * before it really happened; for a single piece this is its first half.
 */
export function countedWritePieces(fd: number, pieces: Iterable<Uint8Array>, kind: 'write' | 'append', path: string): void {
  if (nextOperation(kind, path) !== 'tear') {
    for (const piece of pieces) writeAll(fd, piece);
    return;
  }
  // One piece behind, to know which piece is the last.
  let held: Uint8Array | undefined;
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    if (held !== undefined) writeAll(fd, held);
    held = piece;
  }
  if (held !== undefined) writeAll(fd, held.subarray(0, Math.floor(held.length / 2)));
  killSelfNow();
}

/** fsync of a file or directory descriptor (one counted operation). */
export function countedFsync(fd: number, path: string): void {
  nextOperation('fsync', path);
  fs.fsyncSync(fd);
}

/** rename(2) (one counted operation, traced with the destination path). */
export function countedRename(from: string, to: string): void {
  nextOperation('rename', to);
  fs.renameSync(from, to);
}

/** ftruncate(2) (one counted operation). */
export function countedTruncate(fd: number, length: number, path: string): void {
  nextOperation('truncate', path);
  fs.ftruncateSync(fd, length);
}
