import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServerSentEventParser, type ServerSentEvent } from './server-sent-event-parser.js';

const STREAM =
  ': keep-alive\n\nevent: audit\nid: 7\ndata: {"row":7}\n\nevent: state\ndata: {"a":\ndata: 1}\n\r\nid: 9\n\ndata\n\n';
const EXPECTED: ServerSentEvent[] = [
  { event: 'audit', data: '{"row":7}', id: '7' },
  { event: 'state', data: '{"a":\n1}', id: undefined },
  { event: 'message', data: '', id: undefined },
];

describe('ServerSentEventParser', () => {
  it('parses names, ids, multi-line data and comments; a block without data dispatches nothing', () => {
    expect(new ServerSentEventParser().push(STREAM)).toEqual(EXPECTED);
  });

  it('gives the same events however the stream is cut into chunks (\\r\\n split across chunks included)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: STREAM.length }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...[...cuts].sort((a, b) => a - b), STREAM.length];
        const parser = new ServerSentEventParser();
        const events: ServerSentEvent[] = [];
        for (let index = 1; index < points.length; index += 1) events.push(...parser.push(STREAM.slice(points[index - 1], points[index])));
        expect(events).toEqual(EXPECTED);
      }),
    );
  });

  it('keeps an incomplete event until its blank line arrives', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('event: audit\ndata: x\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'audit', data: 'x', id: undefined }]);
  });
});
