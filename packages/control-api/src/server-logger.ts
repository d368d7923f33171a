import pino, { type Logger } from 'pino';

/** A pino logger writing JSON lines to stderr, and how to flush it before exiting. */
export function createStderrJsonLogger(level: string): { logger: Logger; flush: () => void } {
  // Asynchronous writes: a synchronous write per line would cost every request a syscall on the event loop.
  const destination = pino.destination({ dest: 2, sync: false });
  const logger = pino({ level, base: { service: 'tau-po-serve' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  return { logger, flush: () => destination.flushSync() };
}
