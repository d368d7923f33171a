// GET /api/v1/runs/:run/events: Server-Sent Events of a run's changes.
// `audit` (id: the row number) for each new audit row, `state` and `status`
// when control-state.json or status.json change. Changes are noticed by
// fs.watch on the state directory and, because fs.watch misses events on
// some file systems (NFS, some containers), by a poll as well; a client
// sending `Last-Event-ID: N` first gets every row after N.
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { stateDirPaths } from '@tau/recovery';
import { readControlState, readTrainingStatus, type ApiStateEvent, type ApiStatusEvent } from '@tau/schemas';
import { registerApiRoute } from './api-route-registration.js';
import { runOf } from './served-run-lookup.js';
import type { ServedRun, ServerContext } from './server-context.js';

const KEEP_ALIVE_MS = 15_000;
const CATCH_UP_PAGE_ROWS = 1000;

function fileKey(filePath: string): string {
  const stat = fs.statSync(filePath, { throwIfNoEntry: false, bigint: true });
  return stat === undefined ? 'absent' : `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
}

function readOrNull<T>(read: () => T | undefined): T | null {
  try {
    return read() ?? null;
  } catch {
    return null;
  }
}

/** One client's stream. */
class EventSubscriber {
  private sentRows: number;
  private stateKey = '';
  private statusKey = '';
  private busy = false;
  private again = false;
  closed = false;

  constructor(
    private readonly run: ServedRun,
    private readonly response: ServerResponse,
    lastEventId: number | undefined,
  ) {
    run.auditIndex.refresh();
    // Without Last-Event-ID, start at the log's end: the client has the page it loaded.
    this.sentRows = lastEventId ?? run.auditIndex.totalRows;
  }

  private write(text: string): Promise<void> | undefined {
    if (this.closed) return undefined;
    if (this.response.write(text)) return undefined;
    return new Promise((resolve) => {
      const done = (): void => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.once('drain', done);
      this.response.once('close', done);
    });
  }

  private async sendAuditRows(): Promise<void> {
    for (;;) {
      const page = this.run.auditIndex.page({ after: this.sentRows, limit: CATCH_UP_PAGE_ROWS });
      if (page.rows.length === 0 || this.closed) return;
      for (const row of page.rows) {
        await this.write(`event: audit\nid: ${row.row}\ndata: ${JSON.stringify(row)}\n\n`);
        this.sentRows = row.row;
      }
    }
  }

  private async sendFileEvents(): Promise<void> {
    const paths = stateDirPaths(this.run.stateDir);
    const stateKey = fileKey(paths.controlState);
    if (stateKey !== this.stateKey) {
      this.stateKey = stateKey;
      const data: ApiStateEvent = { control_state: readOrNull(() => readControlState(paths.controlState)) };
      await this.write(`event: state\ndata: ${JSON.stringify(data)}\n\n`);
    }
    const statusKey = fileKey(paths.trainingStatus);
    if (statusKey !== this.statusKey) {
      this.statusKey = statusKey;
      const data: ApiStatusEvent = { training_status: readOrNull(() => readTrainingStatus(paths.trainingStatus)) };
      await this.write(`event: status\ndata: ${JSON.stringify(data)}\n\n`);
    }
  }

  /** Sends whatever changed; calls while one is running are folded into one more pass. */
  async update(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        await this.sendAuditRows();
        await this.sendFileEvents();
      } while (this.again && !this.closed);
    } catch (error) {
      // The log went unreadable (replaced by something that is not a file, say): end the stream; the client reconnects.
      this.response.end();
      throw error;
    } finally {
      this.busy = false;
    }
  }

  keepAlive(): void {
    void this.write(': keep-alive\n\n');
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.response.end();
  }
}

/** Watches one run's state directory for as long as it has subscribers. */
class RunWatcher {
  readonly subscribers = new Set<EventSubscriber>();
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: ServedRun,
    private readonly pollMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  private notify(): void {
    for (const subscriber of this.subscribers) subscriber.update().catch(this.onError);
  }

  add(subscriber: EventSubscriber): void {
    this.subscribers.add(subscriber);
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.notify(), this.pollMs);
    this.keepAliveTimer = setInterval(() => {
      for (const each of this.subscribers) each.keepAlive();
    }, KEEP_ALIVE_MS);
    try {
      this.watcher = fs.watch(this.run.stateDir, { persistent: false }, () => this.notify());
      this.watcher.on('error', () => this.stopWatching());
    } catch {
      // No directory yet, or no inotify: the poll covers it.
    }
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  remove(subscriber: EventSubscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size > 0) return;
    this.stopWatching();
    clearInterval(this.timer);
    clearInterval(this.keepAliveTimer);
    this.timer = undefined;
  }
}

function lastEventIdOf(header: string | string[] | undefined): number | undefined {
  if (typeof header !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(header)) return undefined;
  return Number(header);
}

/** Registers the event stream; closing the server ends every stream. */
export function registerEventStream(app: FastifyInstance, context: ServerContext): void {
  const watchers = new Map<string, RunWatcher>();
  const watcherOf = (run: ServedRun): RunWatcher => {
    let watcher = watchers.get(run.name);
    if (watcher === undefined) {
      watcher = new RunWatcher(run, context.eventPollMs, (error) => app.log.warn({ err: error }, 'event stream ended'));
      watchers.set(run.name, watcher);
    }
    return watcher;
  };

  registerApiRoute(app, 'events', async (request, reply) => {
    const { run } = runOf(request, context);
    const subscriber = new EventSubscriber(run, reply.raw, lastEventIdOf(request.headers['last-event-id']));
    reply.hijack();
    // Hijacked: the headers set by hooks (security headers) are copied by hand.
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    reply.raw.write('retry: 2000\n\n');
    const watcher = watcherOf(run);
    watcher.add(subscriber);
    reply.raw.on('close', () => {
      subscriber.closed = true;
      watcher.remove(subscriber);
    });
    await subscriber.update().catch((error: unknown) => request.log.warn({ err: error }, 'event stream ended'));
  });

  app.addHook('preClose', async () => {
    for (const watcher of watchers.values()) {
      for (const subscriber of [...watcher.subscribers]) {
        subscriber.end();
        watcher.remove(subscriber);
      }
    }
  });
}
