// Asking: POST /api/ask (one JSON body) and POST /api/ask/stream (Server-Sent Events: `delta` {"text", "part"},
// `done` = the ask body, `error`), with the fallbacks from the stream to the plain route.

import { makeError, networkError, httpError, streamError, errorOf } from './errors.js';
import { createUtf8Decoder, coerceJson, toBytes, encodeUtf8 } from './utf8.js';
import { createSseParser } from './sse.js';
import { transportOf } from './transport.js';
import { baseOf, buildHeaders, configError, requestJson } from './http.js';

/** The body of an ask: top_k only when the caller chose one (else the server's default decides), session_id and
 *  the signed follow-up context of the previous reply when there are any. */
function buildPayload(options) {
  var payload = { question: options.question };
  var topK = options.topK !== undefined ? options.topK : options.top_k;
  var sessionId = options.sessionId !== undefined ? options.sessionId : options.session_id;
  if (topK !== undefined && topK !== null) payload.top_k = topK;
  if (sessionId !== undefined && sessionId !== null && sessionId !== '') payload.session_id = sessionId;
  if (typeof options.context === 'string' && options.context) payload.context = options.context;
  return payload;
}

function checkOptions(options) {
  if (!options || typeof options.question !== 'string' || !options.question.trim()) {
    return makeError('bad_request', '请输入问题');
  }
  return configError(options);
}

function isAskBody(x) {
  return !!x && typeof x === 'object' && typeof x.answer === 'string';
}

/** ask() with access to the request task (used by askStream's fallback). */
function startAsk(options) {
  var bad = checkOptions(options);
  if (bad) return { promise: Promise.reject(bad), abort: function () {} };
  return requestJson(options, 'POST', '/api/ask', buildPayload(options), isAskBody);
}

/**
 * POST {base}/api/ask. Resolves with
 * {answer, found, citations:[{doc_id, doc_no, title, section, text, chunk_id, score}], latency_ms, session_id}
 * Rejects with ApiError {code, message, status, retryAfter?}.
 */
export function ask(options) {
  return startAsk(options || {}).promise;
}

// undefined = not known yet; false once a runtime without onChunkReceived was seen.
var chunkedSupported;

/**
 * POST {base}/api/ask/stream and parse the SSE reply.
 * handlers: onDelta(text, fullTextSoFar, part), onDone(body), onError(err); `part` is the delta's `part` ("source"
 * for the pieces of the trailing source line) or null.
 * Exactly one of onDone/onError is called, unless abort() was called first
 * (after abort() no handler is called).
 * Falls back to POST /api/ask, once, when the runtime cannot receive chunks or the stream route is missing
 * (404/405/501). A stream that ends without `done` fails with code 'stream_incomplete'.
 * Returns { abort() }.
 */
export function askStream(options, handlers) {
  options = options || {};
  handlers = handlers || {};
  var finished = false;
  var aborted = false;
  var task = null;
  var fallback = null;
  var fullText = '';

  function call(name, arg, arg2, arg3) {
    var fn = handlers[name];
    if (typeof fn === 'function') fn(arg, arg2, arg3);
  }
  function delta(text, part) {
    if (finished || aborted || !text) return;
    fullText += text;
    call('onDelta', text, fullText, typeof part === 'string' ? part : null);
  }
  function done(body) {
    if (finished || aborted) return;
    finished = true;
    call('onDone', body);
  }
  function fail(err) {
    if (finished || aborted) return;
    finished = true;
    call('onError', err);
  }

  var controller = {
    abort: function () {
      if (aborted || finished) return;
      aborted = true;
      if (fallback) fallback.abort();
      if (task && typeof task.abort === 'function') {
        try { task.abort(); } catch (e) { /* ignore */ }
      }
    }
  };

  function runFallback() {
    fallback = startAsk(options);
    fallback.promise.then(function (body) {
      delta(body.answer);
      done(body);
    }, fail);
  }

  var bad = checkOptions(options);
  if (bad) {
    // async, like a failed request
    Promise.resolve().then(function () { fail(bad); });
    return controller;
  }

  if (chunkedSupported === false) {
    runFallback();
    return controller;
  }

  var decoder = createUtf8Decoder();
  var parser = createSseParser(onEvent);
  var statusCode = 0;
  var headers = null;
  var rawChunks = [];
  var rawLength = 0;
  var gotChunk = false;

  function onEvent(ev) {
    if (finished || aborted) return;
    var payload;
    if (ev.event === 'delta' || ev.event === 'done' || ev.event === 'error') {
      try {
        payload = JSON.parse(ev.data);
      } catch (e) {
        fail(makeError('bad_response', '服务器返回了无法识别的内容', { cause: e }));
        return;
      }
    }
    if (ev.event === 'delta') {
      if (payload && typeof payload.text === 'string') delta(payload.text, payload.part);
    } else if (ev.event === 'done') {
      if (isAskBody(payload)) done(payload);
      else fail(makeError('bad_response', '服务器返回了无法识别的内容'));
    } else if (ev.event === 'error') {
      fail(streamError(payload, statusCode || undefined));
    }
    // other event types (e.g. "ping") are ignored
  }

  function statusKnownBad() {
    return statusCode !== 0 && (statusCode < 200 || statusCode >= 300);
  }

  function keepRaw(bytes) {
    // copy: the runtime may reuse the buffer
    var copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    rawChunks.push(copy);
    rawLength += copy.length;
  }

  function rawBytes() {
    var all = new Uint8Array(rawLength);
    var off = 0;
    for (var i = 0; i < rawChunks.length; i++) {
      all.set(rawChunks[i], off);
      off += rawChunks[i].length;
    }
    return all;
  }

  function feed(data) {
    if (finished || aborted) return;
    if (typeof data === 'string') {
      // runtime ignored responseType: already text
      if (!statusKnownBad()) parser.push(decoder.end() + data);
      keepRaw(toBytes(encodeUtf8(data)));
      return;
    }
    var bytes;
    try {
      bytes = toBytes(data);
    } catch (e) {
      return;
    }
    // Error bodies are JSON, not SSE; keep raw bytes for the final error.
    keepRaw(bytes);
    if (!statusKnownBad()) parser.push(decoder.decode(bytes));
  }

  function onHeaders(res) {
    if (!res) return;
    if (typeof res.statusCode === 'number') statusCode = res.statusCode;
    if (res.header) headers = res.header;
  }

  var req = {
    url: baseOf(options) + '/api/ask/stream',
    method: 'POST',
    header: buildHeaders(options, 'text/event-stream'),
    data: JSON.stringify(buildPayload(options)),
    enableChunked: true,
    responseType: 'arraybuffer',
    dataType: 'other',
    timeout: options.timeout || 120000,
    success: function (res) {
      if (finished || aborted || fallback) return;
      if (typeof res.statusCode === 'number') statusCode = res.statusCode;
      if (res.header) headers = res.header;
      // Some runtimes deliver the whole body here instead of (or besides) chunks.
      if (!gotChunk && res.data !== undefined && res.data !== null && res.data !== '') {
        feed(res.data);
      }
      if (finished || aborted) return;
      if (statusCode === 404 || statusCode === 405 || statusCode === 501) {
        // the server has no stream route: use the plain endpoint
        runFallback();
        return;
      }
      if (statusKnownBad()) {
        fail(httpError(statusCode, rawBytes(), headers));
        return;
      }
      parser.push(decoder.end());
      parser.end(); // an event without its terminating blank line is dropped (SSE spec)
      if (finished) return;
      // Not SSE after all (e.g. a proxy answered with the plain JSON body)?
      var body = coerceJson(rawBytes());
      if (errorOf(body)) {
        fail(httpError(statusCode, body, headers));
        return;
      }
      if (isAskBody(body)) {
        delta(body.answer);
        done(body);
        return;
      }
      fail(makeError('stream_incomplete', '回答中断，请重试', { status: statusCode || undefined }));
    },
    fail: function (res) {
      if (finished || aborted || fallback) return;
      fail(networkError(res));
    }
  };

  try {
    task = transportOf(options)(req);
  } catch (e) {
    Promise.resolve().then(function () { fail(makeError('network_error', '网络连接失败', { cause: e })); });
    return controller;
  }

  if (!task || typeof task.onChunkReceived !== 'function') {
    // Runtime without enableChunked support: drop this request, use /api/ask.
    chunkedSupported = false;
    var t = task;
    task = null;
    fallback = { abort: function () {} }; // marks the stream request as abandoned
    if (t && typeof t.abort === 'function') {
      try { t.abort(); } catch (e) { /* ignore */ }
    }
    if (!aborted) runFallback();
    return controller;
  }

  chunkedSupported = true;
  if (typeof task.onHeadersReceived === 'function') task.onHeadersReceived(onHeaders);
  task.onChunkReceived(function (res) {
    if (finished || aborted) return;
    gotChunk = true;
    feed(res && res.data);
  });

  return controller;
}

/* ------------------------------------------------------------------ */

/** For tests: forget whether the runtime supports enableChunked. */
export function _resetCapabilities() {
  chunkedSupported = undefined;
}
