import { randomBytes } from 'node:crypto';

const TEMP_FILE_PATTERN = /^\.(.+)\.tmp-([0-9]+)-([0-9a-f]+)$/;

/** The temp file name used while atomically replacing `baseName`: `.<name>.tmp-<pid>-<random>`. */
export function tempFileNameFor(baseName: string, pid: number = process.pid): string {
  return `.${baseName}.tmp-${pid}-${randomBytes(6).toString('hex')}`;
}

/** What a temp file name says about its writer, or undefined when it is not one of ours. */
export function parseTempFileName(fileName: string): { target: string; pid: number } | undefined {
  const match = TEMP_FILE_PATTERN.exec(fileName);
  if (!match) return undefined;
  return { target: match[1] as string, pid: Number(match[2]) };
}
