// Generated from web/js/qabot/sse.js by web/tools/sync-client.js (npm run sync-client): edit that file, not this copy.
'use strict';
// Server-Sent Events: an incremental parser of the event stream (WHATWG HTML "event stream interpretation").

/**
 * Incremental SSE parser (WHATWG HTML "event stream interpretation").
 * Feed decoded text with push(text); onEvent({event, data, id}) is called
 * for each dispatched event. Lines end with \n, \r\n or \r (a \r at the end
 * of one chunk followed by \n at the start of the next is one line break).
 * end() drops an unterminated trailing event, as the spec requires.
 */
function createSseParser(onEvent) {
  var buf = '';          // current incomplete line
  var skipLF = false;    // previous chunk ended with \r
  var first = true;      // strip one leading BOM
  var eventType = '';
  var data = '';
  var hasData = false;
  var lastEventId = '';
  var retry;

  function dispatch() {
    if (!hasData) {
      eventType = '';
      return;
    }
    var ev = { event: eventType || 'message', data: data, id: lastEventId };
    eventType = '';
    data = '';
    hasData = false;
    onEvent(ev);
  }

  function processLine(line) {
    if (line === '') {
      dispatch();
      return;
    }
    if (line.charCodeAt(0) === 0x3a /* : */) return; // comment
    var idx = line.indexOf(':');
    var field;
    var value;
    if (idx === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, idx);
      value = line.slice(idx + 1);
      if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    }
    if (field === 'event') {
      eventType = value;
    } else if (field === 'data') {
      data = hasData ? data + '\n' + value : value;
      hasData = true;
    } else if (field === 'id') {
      if (value.indexOf('\u0000') === -1) lastEventId = value;
    } else if (field === 'retry') {
      if (/^\d+$/.test(value)) retry = parseInt(value, 10);
    }
    // other fields are ignored
  }

  function push(text) {
    if (!text) return;
    var i = 0;
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (skipLF && i < text.length) {
      if (text.charCodeAt(i) === 0x0a) i++;
      skipLF = false;
    }
    var n = text.length;
    while (i < n) {
      var j = i;
      var c;
      while (j < n) {
        c = text.charCodeAt(j);
        if (c === 0x0a || c === 0x0d) break;
        j++;
      }
      if (j === n) {
        buf += text.slice(i);
        break;
      }
      var line = buf + text.slice(i, j);
      buf = '';
      if (c === 0x0d) {
        if (j + 1 < n) {
          if (text.charCodeAt(j + 1) === 0x0a) j++;
        } else {
          skipLF = true;
        }
      }
      i = j + 1;
      processLine(line);
    }
  }

  function end() {
    buf = '';
    data = '';
    hasData = false;
    eventType = '';
    skipLF = false;
  }

  return {
    push: push,
    end: end,
    lastEventId: function () { return lastEventId; },
    retry: function () { return retry; }
  };
}

module.exports = {
  createSseParser: createSseParser
};
