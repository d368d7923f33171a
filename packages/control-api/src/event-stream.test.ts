// The event stream over real HTTP: read with fetch as the dashboard does
// (EventSource cannot send a bearer header), including Last-Event-ID resume.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPERATOR, postAction, startServedWorkspace, VIEWER, type ServedWorkspace } from './test-support/served-workspace.js';

let served: ServedWorkspace;
beforeEach(async () => {
  served = await startServedWorkspace();
});
afterEach(async () => {
  await served.close();
});

interface ServerSentEvent {
  event: string;
  id?: string;
  data: string;
}

/** Reads events from an open stream until `until` says stop (or 10 s pass). */
async function readEvents(response: Response, until: (events: ServerSentEvent[]) => boolean): Promise<ServerSentEvent[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: ServerSentEvent[] = [];
  let buffer = '';
  const deadline = Date.now() + 10_000;
  while (!until(events) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: ServerSentEvent = { event: 'message', data: '' };
      let isComment = true;
      for (const line of block.split('\n')) {
        if (line.startsWith(':') || line.startsWith('retry:')) continue;
        isComment = false;
        const [field, ...rest] = line.split(': ');
        const value = rest.join(': ');
        if (field === 'event') event.event = value;
        else if (field === 'id') event.id = value;
        else if (field === 'data') event.data += value;
      }
      if (!isComment) events.push(event);
    }
  }
  await reader.cancel();
  return events;
}

function openStream(headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${served.baseUrl}/api/v1/runs/default/events`, {
    headers: { authorization: `Bearer ${served.tokens[VIEWER]}`, ...headers },
  });
}

describe('GET /api/v1/runs/:run/events', () => {
  it('needs a token', async () => {
    const response = await fetch(`${served.baseUrl}/api/v1/runs/default/events`);
    expect(response.status).toBe(401);
    await response.arrayBuffer();
  });

  it('starts with state and status, then sends each new audit row with its row number as id', async () => {
    const response = await openStream();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const pending = readEvents(response, (events) => events.filter((event) => event.event === 'audit').length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await postAction(served, OPERATOR, 'pause');
    await postAction(served, OPERATOR, 'resume');
    const events = await pending;
    expect(events[0]).toMatchObject({ event: 'state', data: JSON.stringify({ control_state: null }) });
    expect(events[1]?.event).toBe('status');
    expect(JSON.parse(events[1]!.data)).toMatchObject({ training_status: { run_state: 'running' } });
    const audit = events.filter((event) => event.event === 'audit');
    expect(audit.map((event) => event.id)).toEqual(['1', '2']);
    expect(JSON.parse(audit[0]!.data)).toMatchObject({ row: 1, line: 1, action: 'pause', principal: OPERATOR });
    // The state changed too.
    expect(events.some((event) => event.event === 'state' && event.data.includes('"lifecycle_state"'))).toBe(true);
  });

  it('Last-Event-ID: N replays every row after N first', async () => {
    for (const action of ['pause', 'resume', 'pause', 'cancel']) await postAction(served, OPERATOR, action);
    const response = await openStream({ 'last-event-id': '1' });
    const events = await readEvents(response, (seen) => seen.filter((event) => event.event === 'audit').length >= 3);
    expect(events.filter((event) => event.event === 'audit').map((event) => [event.id, JSON.parse(event.data).action])).toEqual([
      ['2', 'resume'],
      ['3', 'pause'],
      ['4', 'cancel'],
    ]);
  });

  it('notices rows appended by another process (a local command)', async () => {
    const response = await openStream({ 'last-event-id': '0' });
    const pending = readEvents(response, (events) => events.some((event) => event.event === 'audit'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    fs.appendFileSync(path.join(served.stateDir, 'control-audit.jsonl'), `${JSON.stringify({ action: 'pause', principal: 'local:x' })}\n`);
    const audit = (await pending).filter((event) => event.event === 'audit');
    expect(audit.map((event) => event.id)).toEqual(['1']);
  });

  it('closing the server ends open streams', async () => {
    const response = await openStream();
    const reader = response.body!.getReader();
    await reader.read();
    const closed = served.app.close();
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    await closed;
  });
});
