// Whether a write to a path can land on a regular file, decided before
// anything is written. The observation (lstat, readlink, stat) and the
// decision are apart so that a caller can check every file a command will
// write, all before the first write, with the very rule the writes enforce.
import fs from 'node:fs';
import { describeFileKind, fileKindOf, type FileKind } from '@tau/schemas';

/** What is at a path a write is aimed at, as `lstat` and (through a link) `stat` see it. */
export interface WriteTargetObservation {
  /** What the path itself is; `absent` when nothing is there. */
  entry: FileKind | 'absent';
  /** For a symbolic link: its text, and what following it reaches (`absent`: it dangles; `loop`: a cycle of links). */
  link?: { text: string; resolves_to: FileKind | 'absent' | 'loop' };
}

/** Looks at `filePath` without following it, then through it when it is a symbolic link. */
export function observeWriteTarget(filePath: string): WriteTargetObservation {
  const own = fs.lstatSync(filePath, { throwIfNoEntry: false });
  if (own === undefined) return { entry: 'absent' };
  const entry = fileKindOf(own);
  if (entry !== 'symlink') return { entry };
  const text = fs.readlinkSync(filePath);
  try {
    return { entry, link: { text, resolves_to: fileKindOf(fs.statSync(filePath)) } };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { entry, link: { text, resolves_to: 'absent' } };
    if (code === 'ELOOP') return { entry, link: { text, resolves_to: 'loop' } };
    throw error;
  }
}

/**
 * Why a write cannot go to the observed path, as one phrase, or null when it
 * can: nothing there (the write creates the file), a regular file, or a
 * symbolic link to one (followed: the file it points to is written and the
 * link stays). Refused: a dangling link (writing would create a file where
 * the operator never chose), a directory, a FIFO (opening it blocks), a
 * device (a row "appended" to /dev/null is lost), anything not a regular file.
 */
export function writeTargetProblem(observation: WriteTargetObservation): string | null {
  const { entry, link } = observation;
  if (entry === 'absent' || entry === 'file') return null;
  if (entry !== 'symlink' || link === undefined) return `it is ${describeFileKind(entry)}, not a regular file`;
  switch (link.resolves_to) {
    case 'file':
      return null;
    case 'absent':
      return `it is a symbolic link to '${link.text}', which does not exist`;
    case 'loop':
      return `it is a symbolic link to '${link.text}' in a loop of links`;
    default:
      return `it is a symbolic link to '${link.text}', which is ${describeFileKind(link.resolves_to)}, not a regular file`;
  }
}

/** Throws the problem (a plain one-phrase `Error`) when a write to `filePath` cannot succeed; returns what is there. */
export function assertWriteTarget(filePath: string): WriteTargetObservation {
  const observation = observeWriteTarget(filePath);
  const problem = writeTargetProblem(observation);
  if (problem !== null) throw new Error(problem);
  return observation;
}
