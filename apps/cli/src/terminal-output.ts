// Writing tau-po's output. process.stdout and process.stderr are streams
// built on first use, which loads and compiles `net` or `tty` and their
// stream machinery: 2 to 8 ms when started from the startup snapshot (Node
// builds user snapshots without a code cache for built-in modules they did
// not load). tau-po writes one short document once, so a synchronous write to
// the descriptor does the same job at no start-up cost.
import fs from 'node:fs';
import tty from 'node:tty';

/**
 * Writes all of `text` to fd 1 or 2 synchronously and returns true. A
 * non-blocking pipe that is full (EAGAIN) gets the rest through the stream,
 * which waits for the reader; then it returns false: the process must not
 * exit before the stream drains. A closed reader (EPIPE, `| head -1`) ends
 * the output quietly.
 */
export function writeOutput(fd: 1 | 2, text: string): boolean {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return true;
      if (code !== 'EAGAIN') throw error;
      (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(offset));
      return false;
    }
  }
  return true;
}

/** Whether fd 1 or 2 is a terminal (without building the stdio stream). */
export function isTerminal(fd: 1 | 2): boolean {
  return tty.isatty(fd);
}

/** The terminal's width for help text, or undefined when stdout is not a terminal. */
export function terminalColumns(): number | undefined {
  return isTerminal(1) ? process.stdout.columns : undefined;
}
