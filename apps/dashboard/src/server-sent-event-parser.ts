// Incremental parser for the text/event-stream format (WHATWG HTML, "Parsing
// an event stream"). Hand-written because the browser's EventSource, the only
// built-in parser, cannot send the bearer header; the format is small enough
// that a library would add bytes for nothing.

/** One dispatched event: its name (`message` when none), data, and id when the block carried one. */
export interface ServerSentEvent {
  event: string;
  data: string;
  id: string | undefined;
}

/** Feeds text chunks in; returns the events completed by each chunk. */
export class ServerSentEventParser {
  private buffer = '';
  private eventName = '';
  private dataLines: string[] = [];
  private id: string | undefined;
  private sawData = false;

  push(chunk: string): ServerSentEvent[] {
    this.buffer += chunk;
    const events: ServerSentEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // A lone \r at the end may be the first half of \r\n: wait for more.
      if (match === null || (match[0] === '\r' && match.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const event = this.line(line);
      if (event !== undefined) events.push(event);
    }
    return events;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.eventName = value;
    else if (field === 'data') {
      this.dataLines.push(value);
      this.sawData = true;
    } else if (field === 'id' && !value.includes('\0')) this.id = value;
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    const event: ServerSentEvent | undefined = this.sawData
      ? { event: this.eventName === '' ? 'message' : this.eventName, data: this.dataLines.join('\n'), id: this.id }
      : undefined;
    this.eventName = '';
    this.dataLines = [];
    this.sawData = false;
    this.id = undefined;
    return event;
  }
}
