// The live event stream, `GET /v1/events/stream`, read with fetch() rather than EventSource:
// EventSource cannot send an Authorization header. Resumes after a drop with Last-Event-ID, so
// no event is missed or seen twice.

import { apiBase, headers } from './api.js';

/** Reads server-sent events from the log, calling `onEvent(document)` for each. */
export class EventStream {
  /** Starts after log position `after`; `onStatus` hears 'live', 'reconnecting' or 'stopped'. */
  constructor({ after, onEvent, onStatus = () => {} }) {
    this.lastId = after;
    this.onEvent = onEvent;
    this.onStatus = onStatus;
    this.controller = null;
    this.stopped = false;
  }

  /** Connects, and reconnects after a drop until ``stop()``. */
  async start() {
    let delay = 500;
    while (!this.stopped) {
      try {
        await this.readOnce();
        delay = 500;
      } catch (error) {
        if (this.stopped) break;
        if (error.status === 401) { this.onStatus('unauthorized'); return; }
      }
      if (this.stopped) break;
      this.onStatus('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
    this.onStatus('stopped');
  }

  /** Ends the stream. */
  stop() {
    this.stopped = true;
    if (this.controller) this.controller.abort();
  }

  async readOnce() {
    this.controller = new AbortController();
    const response = await fetch(`${apiBase()}/v1/events/stream`, {
      headers: headers({ Accept: 'text/event-stream', 'Last-Event-ID': String(this.lastId) }),
      signal: this.controller.signal,
      cache: 'no-store',
    });
    if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
    this.onStatus('live');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        this.dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  /** Handles one message: `id:`, `event:` and `data:` lines. */
  dispatch(message) {
    let id = null;
    const data = [];
    for (const line of message.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (!data.length) return;
    if (id !== null) this.lastId = Number(id);
    try {
      this.onEvent(JSON.parse(data.join('\n')));
    } catch (error) {
      console.error('event not handled', error);
    }
  }
}
