// Writes a synthetic policy checkpoint of about a given size, streaming, so a
// 1 GB file costs a few MB of memory: prompt strings (with escapes and non-ASCII)
// and long arrays of floats, the shape of a prompt-optimization policy state.
import { createHash } from 'node:crypto';
import fs from 'node:fs';

const BLOCK_COUNT = 8;
const BLOCK_TARGET_BYTES = 1024 * 1024;

/** A few MB of distinct array bodies (comma-separated values) to cycle through. */
function buildBlocks(seed: number, kind: 'floats' | 'prompts'): Buffer[] {
  let state = seed >>> 0;
  const random = (): number => {
    // xorshift32: deterministic and cheap; quality is irrelevant here.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const blocks: Buffer[] = [];
  for (let b = 0; b < BLOCK_COUNT; b += 1) {
    const parts: string[] = [];
    let length = 0;
    while (length < BLOCK_TARGET_BYTES) {
      const part = kind === 'floats'
        ? String((random() - 0.5) * 10 ** Math.floor(random() * 6 - 3))
        : JSON.stringify(`Answer step by step. Tool "search" \\ résumé ${Math.floor(random() * 1e9)} → ✓\n`);
      parts.push(part);
      length += part.length + 1;
    }
    blocks.push(Buffer.from(parts.join(','), 'utf8'));
  }
  return blocks;
}

/** Writes `text` parts to `fd`, hashing them too; returns the byte count. */
class CheckpointWriter {
  readonly hash = createHash('sha256');
  bytes = 0;
  constructor(private readonly fd: number) {}

  write(data: string | Buffer): void {
    const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.hash.update(buffer);
    let offset = 0;
    while (offset < buffer.length) offset += fs.writeSync(this.fd, buffer, offset);
    this.bytes += buffer.length;
  }

  /** Writes `,`-joined blocks until `budget` bytes are used. */
  writeArrayBody(blocks: Buffer[], budget: number): void {
    const start = this.bytes;
    for (let index = 0; this.bytes - start < budget; index += 1) {
      if (index > 0) this.write(',');
      this.write(blocks[index % blocks.length] as Buffer);
    }
  }
}

/** What was generated. */
export interface GeneratedCheckpoint {
  readonly bytes: number;
  readonly sha256: string;
}

/** Writes a valid checkpoint of at least `targetBytes` to `filePath`. */
export function generateCheckpoint(filePath: string, targetBytes: number): GeneratedCheckpoint {
  const floats = buildBlocks(0x9e3779b9, 'floats');
  const prompts = buildBlocks(0x85ebca6b, 'prompts');
  const fd = fs.openSync(filePath, 'w');
  try {
    const out = new CheckpointWriter(fd);
    out.write('{\n  "checkpoint_version": 1,\n  "run_id": "bench-run",\n  "policy_state": {\n    "prompts": [');
    out.writeArrayBody(prompts, targetBytes * 0.2);
    out.write('],\n    "weights": {"layer_0": [');
    out.writeArrayBody(floats, targetBytes * 0.5);
    out.write(']}\n  },\n  "optimizer_state": {"step": 7, "moments": [[');
    out.writeArrayBody(floats, targetBytes * 0.3);
    out.write(']]},\n  "global_step": 120000,\n  "optimizer_step": 119999,\n  "saved_at_unix_seconds": 1700000000\n}');
    return { bytes: out.bytes, sha256: out.hash.digest('hex') };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a valid checkpoint whose policy_state nests arrays `depth` levels deep
 * (a hostile shape: JSON.parse needs ~50 bytes of heap per level).
 */
export function generateDeepCheckpoint(filePath: string, depth: number): GeneratedCheckpoint {
  const fd = fs.openSync(filePath, 'w');
  const block = 1024 * 1024;
  try {
    const out = new CheckpointWriter(fd);
    out.write('{"checkpoint_version":1,"run_id":"bench-deep","policy_state":{"deep":');
    const opening = Buffer.alloc(block, '[');
    const closing = Buffer.alloc(block, ']');
    for (let left = depth; left > 0; left -= block) out.write(left >= block ? opening : opening.subarray(0, left));
    for (let left = depth; left > 0; left -= block) out.write(left >= block ? closing : closing.subarray(0, left));
    out.write('},"optimizer_state":{},"global_step":1,"optimizer_step":1,"saved_at_unix_seconds":1}');
    return { bytes: out.bytes, sha256: out.hash.digest('hex') };
  } finally {
    fs.closeSync(fd);
  }
}
