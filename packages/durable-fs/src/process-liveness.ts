// The facts about processes that a lock's judgement needs, read from the OS
// (Linux /proc). Every reader returns undefined when it cannot tell; the
// judgement treats that as "cannot judge", never as "gone". Nothing is cached:
// the CLI runs from a startup snapshot, and a value read while the snapshot
// was built would belong to another process.
import fs from 'node:fs';
import type { HolderProcessProbe } from './lock-holder-judgement.js';

/**
 * Whether a process with this pid exists in this PID namespace. Signal 0
 * checks without sending anything; EPERM means it exists but belongs to
 * another user.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readSmallProcFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Fields 1 (pid) and 22 (starttime, clock ticks since boot) of a
 * `/proc/<pid>/stat` line (pure). The command name (field 2) is in
 * parentheses and may contain spaces and `)`, so fields are counted from the
 * last `)`.
 */
export function parseProcStat(text: string): { pid: number; startTimeTicks: number } | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  // After ") " come fields 3, 4, ...: field 22 is the 20th.
  const startTime = Number(text.slice(close + 2).split(' ')[19]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !Number.isSafeInteger(startTime) || startTime < 0) return undefined;
  return { pid, startTimeTicks: startTime };
}

/** The inode in a PID namespace link's text, `pid:[4026531836]` (pure). */
export function parsePidNamespaceLink(text: string): number | undefined {
  const match = /^pid:\[(\d+)\]$/.exec(text.trim());
  const inode = match?.[1] === undefined ? undefined : Number(match[1]);
  return inode !== undefined && Number.isSafeInteger(inode) ? inode : undefined;
}

/** This boot's id, or undefined off Linux. */
export function readBootId(): string | undefined {
  return readSmallProcFile('/proc/sys/kernel/random/boot_id')?.trim() || undefined;
}

/** What this process records in a lock and compares a record against. */
export interface OwnProcessFacts {
  readonly pidNamespace: number | undefined;
  readonly startTimeTicks: number | undefined;
}

/**
 * This process's PID namespace and start time. Both undefined when /proc is
 * not this namespace's (a process that entered a new PID namespace without
 * mounting its own /proc sees another namespace's pids there): then pids
 * cannot be checked from here at all.
 */
export function readOwnProcessFacts(): OwnProcessFacts {
  const stat = parseProcStat(readSmallProcFile('/proc/self/stat') ?? '');
  if (stat === undefined || stat.pid !== process.pid) return { pidNamespace: undefined, startTimeTicks: undefined };
  let link: string | undefined;
  try {
    link = fs.readlinkSync('/proc/self/ns/pid');
  } catch {
    link = undefined;
  }
  return { pidNamespace: link === undefined ? undefined : parsePidNamespaceLink(link), startTimeTicks: stat.startTimeTicks };
}

/** What `pid` is in this PID namespace: absent, or present with its start time when readable. */
export function probeProcess(pid: number): HolderProcessProbe {
  if (!isProcessAlive(pid)) return { state: 'absent' };
  const stat = parseProcStat(readSmallProcFile(`/proc/${pid}/stat`) ?? '');
  return { state: 'present', startTimeTicks: stat?.pid === pid ? stat.startTimeTicks : undefined };
}
