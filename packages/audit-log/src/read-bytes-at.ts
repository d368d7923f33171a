import fs from 'node:fs';

/**
 * Reads exactly `length` bytes at `offset` of the file open as `fd`; throws if
 * the file ends first (it shrank since its size or a row's position was seen).
 */
export function readBytesAt(fd: number, offset: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, bytes, done, length - done, offset + done);
    if (n === 0) throw new Error(`file ended at byte ${offset + done}, before byte ${offset + length}: it shrank while being read`);
    done += n;
  }
  return bytes;
}
