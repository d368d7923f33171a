// A run's event stream, read with fetch (EventSource cannot send the bearer
// header), so reconnection and Last-Event-ID are ours: after the stream ends
// or the server goes away, wait (250 ms doubling to 5 s, reset once connected)
// and reconnect asking for every audit row after the last one seen.
import { ControlApiError, type ControlApiClient } from './control-api-client.js';
import { ServerSentEventParser, type ServerSentEvent } from './server-sent-event-parser.js';

/** Where the stream is: `live` while connected. */
export type StreamConnection = 'connecting' | 'live' | 'reconnecting';

export interface RunEventStreamHandlers {
  onEvent(event: ServerSentEvent): void;
  onConnection(connection: StreamConnection): void;
  /** A 401: the token was revoked or expired; the stream stops. */
  onUnauthorized(error: ControlApiError): void;
}

const FIRST_DELAY_MS = 250;
const LONGEST_DELAY_MS = 5000;

/** The delay before reconnect attempt `attempt` (0-based). */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(attempt, 10));
}

/** Opens the stream; call the returned function to close it for good. */
export function openRunEventStream(
  client: ControlApiClient,
  run: string,
  lastAuditRow: number | undefined,
  handlers: RunEventStreamHandlers,
): () => void {
  const abort = new AbortController();
  let lastEventId = lastAuditRow === undefined ? undefined : String(lastAuditRow);
  let attempt = 0;

  const connectOnce = async (): Promise<void> => {
    const headers = client.headers({ accept: 'text/event-stream' });
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const response = await fetch(`/api/v1/runs/${encodeURIComponent(run)}/events`, { headers, signal: abort.signal, cache: 'no-store' });
    if (response.status === 401) {
      const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
      throw new ControlApiError(body?.error?.message ?? 'the token was refused', 401, undefined, 3, []);
    }
    if (!response.ok || response.body === null) throw new Error(`event stream answered HTTP ${response.status}`);
    attempt = 0;
    handlers.onConnection('live');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new ServerSentEventParser();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const event of parser.push(value)) {
        if (event.id !== undefined) lastEventId = event.id;
        handlers.onEvent(event);
      }
    }
  };

  const loop = async (): Promise<void> => {
    handlers.onConnection('connecting');
    while (!abort.signal.aborted) {
      try {
        await connectOnce();
      } catch (error) {
        if (abort.signal.aborted) return;
        if (error instanceof ControlApiError && error.status === 401) {
          handlers.onUnauthorized(error);
          return;
        }
      }
      if (abort.signal.aborted) return;
      handlers.onConnection('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(attempt)));
      attempt += 1;
    }
  };
  void loop();
  return () => abort.abort();
}
