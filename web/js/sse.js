// Incremental Server-Sent Events parser (WHATWG "event stream interpretation").
// Feed it decoded text in arbitrary pieces; it calls onEvent({event, data, id})
// whenever a blank line completes an event. Handles LF, CRLF and CR line ends,
// including a CRLF split across two chunks, comments, multi-line data and the
// optional single space after the colon.

export class SSEParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buf = "";
    this.pendingCR = false; // last chunk ended with "\r": a following "\n" belongs to it
    this.reset();
    this.lastEventId = "";
  }

  reset() {
    this.eventType = "";
    this.dataLines = [];
    this.hasData = false;
  }

  feed(text) {
    if (!text) return;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (text.charAt(0) === "\n") text = text.slice(1);
    }
    this.buf += text;
    let start = 0;
    const buf = this.buf;
    for (let i = 0; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c === 10 /* \n */ || c === 13 /* \r */) {
        this.line(buf.slice(start, i));
        if (c === 13) {
          if (i + 1 < buf.length) {
            if (buf.charCodeAt(i + 1) === 10) i++;
          } else {
            this.pendingCR = true;
          }
        }
        start = i + 1;
      }
    }
    this.buf = buf.slice(start);
  }

  /** Call at end of stream. An unterminated last event is dispatched as well
   *  (lenient: some servers forget the final blank line). */
  end() {
    if (this.buf) {
      this.line(this.buf);
      this.buf = "";
    }
    this.dispatch();
  }

  line(line) {
    if (line === "") {
      this.dispatch();
      return;
    }
    if (line.charAt(0) === ":") return; // comment / keep-alive
    const colon = line.indexOf(":");
    let field, value;
    if (colon === -1) {
      field = line;
      value = "";
    } else {
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value.charAt(0) === " ") value = value.slice(1);
    }
    if (field === "event") this.eventType = value;
    else if (field === "data") {
      this.dataLines.push(value);
      this.hasData = true;
    } else if (field === "id") {
      if (value.indexOf("\u0000") === -1) this.lastEventId = value;
    }
    // "retry" and unknown fields are ignored.
  }

  dispatch() {
    if (!this.hasData) {
      this.reset();
      return;
    }
    const evt = { event: this.eventType || "message", data: this.dataLines.join("\n"), id: this.lastEventId };
    this.reset();
    this.onEvent(evt);
  }
}
