// The batch row hasher built from native/row-sha256.c (scripts/build-row-sha256.mjs),
// loaded from beside this module when it is there: this package's dist/, or the
// CLI's bundle directory, where its build copies it. Run from sources (the
// tests) there is none, and rows are hashed with node:crypto.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { builtFileBeside } from './built-file-beside.js';

/** The file the build writes beside the package's (or the CLI bundle's) modules. */
export const NATIVE_ROW_HASHER_FILE = 'row-sha256.node';

export interface NativeRowHasher {
  /** Where it was loaded from. */
  readonly path: string;
  /**
   * For k < count: the SHA-256 of `bytes[starts[k], ends[k])` as 64
   * lower-case hex digits, into `out[64k, 64k + 64)`. Throws (a TypeError or
   * RangeError, nothing written) when a row lies outside `bytes` or `count`
   * outside the arrays.
   */
  hashRowsHex(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, count: number, out: Uint8Array): void;
}

/** Rows whose hashes the loader checks against node:crypto's before trusting a build (an empty row included). */
const SELF_TEST_ROWS = ['', 'abc', `{"action":"pause"}${'x'.repeat(200)}`];

/**
 * Loads the hasher at `file`: undefined when it is not a regular file, does
 * not load (another platform, a Node without the OpenSSL symbols it needs:
 * `RTLD_NOW` makes a missing symbol fail here, not at the first call), or
 * hashes a test row differently from node:crypto.
 */
export function loadNativeRowHasher(file: string): NativeRowHasher | undefined {
  try {
    if (!fs.statSync(file).isFile()) return undefined;
    const module = { exports: {} as { hashRowsHex?: unknown } };
    process.dlopen(module, file, os.constants.dlopen.RTLD_NOW);
    const hashRowsHex = module.exports.hashRowsHex;
    if (typeof hashRowsHex !== 'function') return undefined;
    const hasher: NativeRowHasher = { path: file, hashRowsHex: hashRowsHex as NativeRowHasher['hashRowsHex'] };
    return hashesLikeNodeCrypto(hasher) ? hasher : undefined;
  } catch {
    return undefined;
  }
}

function hashesLikeNodeCrypto(hasher: NativeRowHasher): boolean {
  const bytes = Buffer.from(`\n${SELF_TEST_ROWS.join('\n')}`);
  const starts = new Int32Array(SELF_TEST_ROWS.length);
  const ends = new Int32Array(SELF_TEST_ROWS.length);
  let at = 1;
  SELF_TEST_ROWS.forEach((row, index) => {
    starts[index] = at;
    ends[index] = at + row.length;
    at += row.length + 1;
  });
  const out = Buffer.alloc(SELF_TEST_ROWS.length * 64);
  hasher.hashRowsHex(bytes, starts, ends, SELF_TEST_ROWS.length, out);
  return SELF_TEST_ROWS.every((row, index) => out.toString('latin1', index * 64, index * 64 + 64) === crypto.createHash('sha256').update(row).digest('hex'));
}

/** Whether this process is building a V8 startup snapshot (the CLI's), which cannot hold a native module. */
function buildingStartupSnapshot(): boolean {
  return process.getBuiltinModule('node:v8').startupSnapshot.isBuildingSnapshot();
}

let loaded: NativeRowHasher | null | undefined;

/** The hasher beside this module, loaded on first use; undefined when there is none (hash with node:crypto). */
export function nativeRowHasher(): NativeRowHasher | undefined {
  if (loaded !== undefined) return loaded ?? undefined;
  // Not loaded, and nothing remembered, while a snapshot is built: the process started from it looks again.
  if (buildingStartupSnapshot()) return undefined;
  loaded = siblingHasher() ?? null;
  return loaded ?? undefined;
}

function siblingHasher(): NativeRowHasher | undefined {
  const file = builtFileBeside([NATIVE_ROW_HASHER_FILE]);
  return file === undefined ? undefined : loadNativeRowHasher(file);
}
