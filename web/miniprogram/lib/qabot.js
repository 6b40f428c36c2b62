/**
 * qa-bot client for WeChat mini-programs.
 *
 * - ask(options)                 -> Promise<body>           (POST {base}/api/ask)
 * - askStream(options, handlers) -> { abort() }             (POST {base}/api/ask/stream, SSE)
 * - createConversation(options)  -> { ask, askStream, reset, state }: keeps the session id and the
 *                                   signed follow-up `context` of each reply and sends them with the next
 *                                   question (so a follow-up works whichever server replica answers it)
 * - listUnits(options)           -> Promise<{units, references}>   (GET {base}/api/units)
 * - unitTasks(options)           -> Promise<{unit, tasks}>          (GET {base}/api/units/{unit}/tasks)
 *                                   options.unit (any alias), options.role ('lead'|'responsible'), options.doc;
 *                                   an unknown unit rejects with code 'unknown_unit' and err.closest (names)
 * - tasksByDocument(tasks)        -> [{doc_id, doc_no, title, date, tasks}] in document order
 * - createUtf8Decoder()          -> streaming UTF-8 decoder (no TextDecoder needed)
 * - createSseParser(onEvent)     -> Server-Sent Events line/event parser
 *
 * options: {
 *   baseUrl | base : server base URL, e.g. "https://qa.example.gov.cn"
 *   apiKey  | key  : optional API key, sent as "Authorization: Bearer <key>"
 *   question       : the question (required)
 *   topK           : optional top_k
 *   sessionId      : optional session_id
 *   context        : optional context token from the previous reply (body.context), sent back as is
 *   timeout        : optional wx.request timeout in ms
 * }
 *
 * Plain CommonJS, no DOM, no TextDecoder, no optional chaining: it must run on
 * old WeChat JS engines and in Node (tests mock the global `wx`).
 */
'use strict';

var REPLACEMENT = 0xfffd;

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

var STATUS_DEFAULTS = {
  400: ['bad_request', '请求参数有误'],
  401: ['unauthorized', '需要有效的访问密钥'],
  403: ['forbidden', '没有访问权限'],
  404: ['not_found', '服务地址不存在，请检查服务器配置'],
  413: ['payload_too_large', '问题内容过长'],
  422: ['bad_request', '请求参数有误'],
  429: ['rate_limited', '请求过于频繁，请稍后再试']
};

function makeError(code, message, extra) {
  var err = new Error(message);
  err.name = 'QaBotError';
  err.code = code;
  if (extra) {
    for (var k in extra) {
      if (Object.prototype.hasOwnProperty.call(extra, k) && extra[k] !== undefined) err[k] = extra[k];
    }
  }
  return err;
}

function networkError(res) {
  var errMsg = (res && res.errMsg) || '';
  if (/timeout|超时/i.test(errMsg)) {
    return makeError('timeout', '请求超时，请稍后再试', { errMsg: errMsg });
  }
  return makeError('network_error', '网络连接失败', { errMsg: errMsg });
}

/** Case-insensitive header lookup (wx gives whatever case the server sent). */
function getHeader(headers, name) {
  if (!headers || typeof headers !== 'object') return undefined;
  var lower = name.toLowerCase();
  for (var k in headers) {
    if (Object.prototype.hasOwnProperty.call(headers, k) && k.toLowerCase() === lower) {
      var v = headers[k];
      return Array.isArray(v) ? v[0] : v;
    }
  }
  return undefined;
}

/** Retry-After: delay-seconds or an HTTP-date. Returns whole seconds or undefined. */
function parseRetryAfter(value, now) {
  if (value === undefined || value === null || value === '') return undefined;
  var s = String(value).trim();
  if (/^\d+$/.test(s)) return parseInt(s, 10);
  var t = Date.parse(s);
  if (isNaN(t)) return undefined;
  var ms = t - (now === undefined ? Date.now() : now);
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/** Build the Error for a non-2xx response. body may be object, string, ArrayBuffer. */
function httpError(statusCode, body, headers) {
  var parsed = coerceJson(body);
  var e = parsed && typeof parsed === 'object' && parsed.error && typeof parsed.error === 'object' ? parsed.error : null;
  var def = STATUS_DEFAULTS[statusCode] ||
    (statusCode >= 500 ? ['server_error', '服务器繁忙，请稍后再试'] : ['http_error', '请求失败（HTTP ' + statusCode + '）']);
  var code = e && typeof e.code === 'string' && e.code ? e.code : def[0];
  var message = e && typeof e.message === 'string' && e.message ? e.message : def[1];
  var retryAfter = parseRetryAfter(getHeader(headers, 'Retry-After'));
  if (retryAfter === undefined && e && typeof e.retry_after === 'number') retryAfter = e.retry_after;
  var closest = e && Array.isArray(e.closest) ? e.closest.filter(function (c) { return typeof c === 'string'; }) : undefined;
  return makeError(code, message, { status: statusCode, retryAfter: retryAfter, closest: closest });
}

/* ------------------------------------------------------------------ */
/* Bytes / UTF-8                                                       */
/* ------------------------------------------------------------------ */

function isArrayBuffer(x) {
  return Object.prototype.toString.call(x) === '[object ArrayBuffer]';
}

/** ArrayBuffer | TypedArray | DataView | number[] -> Uint8Array (no copy when possible). */
function toBytes(data) {
  if (data === undefined || data === null) return new Uint8Array(0);
  if (data instanceof Uint8Array) return data;
  if (isArrayBuffer(data)) return new Uint8Array(data);
  if (data.buffer && isArrayBuffer(data.buffer) && typeof data.byteLength === 'number') {
    return new Uint8Array(data.buffer, data.byteOffset || 0, data.byteLength);
  }
  if (Array.isArray(data)) return new Uint8Array(data);
  throw new TypeError('expected ArrayBuffer or Uint8Array');
}

/**
 * Streaming UTF-8 decoder following the WHATWG Encoding "UTF-8 decoder"
 * (same output as TextDecoder('utf-8') with fatal=false, ignoreBOM=true):
 * incomplete trailing bytes are kept for the next chunk; every invalid
 * sequence (maximal subpart) becomes one U+FFFD.
 *
 *   var d = createUtf8Decoder();
 *   d.decode(chunk1) + d.decode(chunk2) + d.end()
 */
function createUtf8Decoder() {
  var needed = 0;
  var seen = 0;
  var cp = 0;
  var lower = 0x80;
  var upper = 0xbf;

  function reset() {
    needed = 0; seen = 0; cp = 0; lower = 0x80; upper = 0xbf;
  }

  function decode(input) {
    var bytes = toBytes(input);
    var units = [];
    var out = '';
    function emit(c) {
      if (c > 0xffff) {
        c -= 0x10000;
        units.push(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
      } else {
        units.push(c);
      }
      if (units.length >= 8192) {
        out += String.fromCharCode.apply(null, units);
        units = [];
      }
    }
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i];
      if (needed === 0) {
        if (b <= 0x7f) {
          emit(b);
        } else if (b >= 0xc2 && b <= 0xdf) {
          needed = 1; cp = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) lower = 0xa0;
          if (b === 0xed) upper = 0x9f;
          needed = 2; cp = b & 0x0f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) lower = 0x90;
          if (b === 0xf4) upper = 0x8f;
          needed = 3; cp = b & 0x07;
        } else {
          emit(REPLACEMENT);
        }
        continue;
      }
      if (b < lower || b > upper) {
        // Invalid continuation: emit U+FFFD for the partial sequence and
        // reprocess this byte as the start of something new.
        reset();
        emit(REPLACEMENT);
        i--;
        continue;
      }
      lower = 0x80; upper = 0xbf;
      cp = (cp << 6) | (b & 0x3f);
      seen++;
      if (seen === needed) {
        var c = cp;
        reset();
        emit(c);
      }
    }
    if (units.length) out += String.fromCharCode.apply(null, units);
    return out;
  }

  /** End of stream: an incomplete trailing sequence becomes U+FFFD. */
  function end() {
    if (needed !== 0) {
      reset();
      return String.fromCharCode(REPLACEMENT);
    }
    return '';
  }

  return {
    decode: decode,
    end: end,
    /** number of bytes of an incomplete sequence currently held back */
    pending: function () { return needed === 0 ? 0 : seen + 1; }
  };
}

/** One-shot decode of a complete buffer. */
function decodeUtf8(data) {
  var d = createUtf8Decoder();
  return d.decode(data) + d.end();
}

/** object | JSON string | ArrayBuffer of JSON -> value, or null when not parseable. */
function coerceJson(body) {
  if (body === undefined || body === null) return null;
  var text;
  if (typeof body === 'string') {
    text = body;
  } else if (isArrayBuffer(body) || ArrayBuffer.isView(body)) {
    text = decodeUtf8(body);
  } else if (typeof body === 'object') {
    return body;
  } else {
    return null;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (e) {
    return null;
  }
}

/* ------------------------------------------------------------------ */
/* Server-Sent Events                                                  */
/* ------------------------------------------------------------------ */

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

/* ------------------------------------------------------------------ */
/* Requests                                                            */
/* ------------------------------------------------------------------ */

function getWx() {
  if (typeof wx !== 'undefined') return wx; // eslint-disable-line no-undef
  if (typeof globalThis !== 'undefined' && globalThis.wx) return globalThis.wx;
  throw new Error('wx is not available');
}

function baseOf(options) {
  var base = options.baseUrl || options.base || '';
  return String(base).replace(/\/+$/, '');
}

function buildHeaders(options, accept) {
  var header = { 'Content-Type': 'application/json', Accept: accept };
  var key = options.apiKey !== undefined ? options.apiKey : options.key;
  if (key) header.Authorization = 'Bearer ' + key;
  return header;
}

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
  if (!baseOf(options)) return makeError('config_error', '未配置服务器地址');
  return null;
}

function isAskBody(x) {
  return !!x && typeof x === 'object' && typeof x.answer === 'string';
}

/** ask() with access to the request task (used by askStream's fallback). */
function startAsk(options) {
  var task = null;
  var aborted = false;
  var promise = new Promise(function (resolve, reject) {
    var bad = checkOptions(options);
    if (bad) { reject(bad); return; }
    var req = {
      url: baseOf(options) + '/api/ask',
      method: 'POST',
      header: buildHeaders(options, 'application/json'),
      data: JSON.stringify(buildPayload(options)),
      dataType: 'json',
      responseType: 'text',
      success: function (res) {
        if (aborted) return;
        var status = res.statusCode;
        if (status >= 200 && status < 300) {
          var body = coerceJson(res.data);
          if (isAskBody(body)) resolve(body);
          else reject(makeError('bad_response', '服务器返回了无法识别的内容', { status: status }));
        } else {
          reject(httpError(status, res.data, res.header));
        }
      },
      fail: function (res) {
        if (aborted) return;
        reject(networkError(res));
      }
    };
    if (options.timeout) req.timeout = options.timeout;
    try {
      task = getWx().request(req);
    } catch (e) {
      reject(makeError('network_error', '网络连接失败', { cause: e }));
    }
  });
  return {
    promise: promise,
    abort: function () {
      aborted = true;
      if (task && typeof task.abort === 'function') task.abort();
    }
  };
}

/**
 * POST {base}/api/ask. Resolves with
 * {answer, found, citations:[{doc_id, doc_no, title, section, text, chunk_id, score}], latency_ms, session_id}
 * Rejects with Error {code, message, status?, retryAfter?}.
 */
function ask(options) {
  return startAsk(options || {}).promise;
}

// undefined = not known yet; false once a runtime without onChunkReceived was seen.
var chunkedSupported;

/**
 * POST {base}/api/ask/stream and parse the SSE reply.
 * handlers: onDelta(text, fullTextSoFar), onDone(body), onError(err).
 * Exactly one of onDone/onError is called, unless abort() was called first
 * (after abort() no handler is called).
 * Returns { abort() }.
 */
function askStream(options, handlers) {
  options = options || {};
  handlers = handlers || {};
  var finished = false;
  var aborted = false;
  var task = null;
  var fallback = null;
  var fullText = '';

  function call(name, arg, arg2) {
    var fn = handlers[name];
    if (typeof fn === 'function') fn(arg, arg2);
  }
  function delta(text) {
    if (finished || aborted || !text) return;
    fullText += text;
    call('onDelta', text, fullText);
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
      if (payload && typeof payload.text === 'string') delta(payload.text);
    } else if (ev.event === 'done') {
      if (isAskBody(payload)) done(payload);
      else fail(makeError('bad_response', '服务器返回了无法识别的内容'));
    } else if (ev.event === 'error') {
      var e = payload && typeof payload === 'object' ? payload : {};
      if (e.error && typeof e.error === 'object') e = e.error;
      var status = typeof e.status === 'number' ? e.status : undefined;
      var def = status && STATUS_DEFAULTS[status];
      fail(makeError(
        typeof e.code === 'string' && e.code ? e.code : (def ? def[0] : 'server_error'),
        typeof e.message === 'string' && e.message ? e.message : (def ? def[1] : '服务器出错，请稍后再试'),
        { status: status, retryAfter: typeof e.retry_after === 'number' ? e.retry_after : undefined }
      ));
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
    task = getWx().request(req);
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
/* Task ledger: units and their tasks                                  */
/* ------------------------------------------------------------------ */

/** GET {base}{path} -> Promise<JSON body>; rejects like ask(). */
function getJson(options, path, isBody) {
  return new Promise(function (resolve, reject) {
    if (!baseOf(options)) { reject(makeError('config_error', '未配置服务器地址')); return; }
    var headers = buildHeaders(options, 'application/json');
    delete headers['Content-Type'];
    var req = {
      url: baseOf(options) + path,
      method: 'GET',
      header: headers,
      dataType: 'json',
      responseType: 'text',
      success: function (res) {
        var status = res.statusCode;
        if (status >= 200 && status < 300) {
          var body = coerceJson(res.data);
          if (isBody(body)) resolve(body);
          else reject(makeError('bad_response', '服务器返回了无法识别的内容', { status: status }));
        } else {
          reject(httpError(status, res.data, res.header));
        }
      },
      fail: function (res) { reject(networkError(res)); }
    };
    if (options.timeout) req.timeout = options.timeout;
    try {
      getWx().request(req);
    } catch (e) {
      reject(makeError('network_error', '网络连接失败', { cause: e }));
    }
  });
}

/** Every unit of the task ledger, grouped by kind: {units: [{name, aliases, kind, lead, responsible}], references}. */
function listUnits(options) {
  return getJson(options || {}, '/api/units', function (b) { return !!b && Array.isArray(b.units); });
}

/** One unit's tasks across all documents: {unit (canonical name), tasks: [{doc_no, title, section, task, role, ...}]}. */
function unitTasks(options) {
  options = options || {};
  if (typeof options.unit !== 'string' || !options.unit.trim()) {
    return Promise.reject(makeError('bad_request', '请输入单位名称'));
  }
  var query = [];
  if (options.role) query.push('role=' + encodeURIComponent(options.role));
  if (options.doc) query.push('doc=' + encodeURIComponent(options.doc));
  var path = '/api/units/' + encodeURIComponent(options.unit.trim()) + '/tasks' + (query.length ? '?' + query.join('&') : '');
  return getJson(options, path, function (b) { return !!b && typeof b.unit === 'string' && Array.isArray(b.tasks); });
}

/** Tasks grouped by document, in the order the server gave them (document order). */
function tasksByDocument(tasks) {
  var groups = [];
  var byId = {};
  (Array.isArray(tasks) ? tasks : []).forEach(function (t) {
    if (!t || typeof t !== 'object') return;
    var id = t.doc_id || t.doc_no || t.title || '';
    if (!Object.prototype.hasOwnProperty.call(byId, id)) {
      byId[id] = { doc_id: t.doc_id || '', doc_no: t.doc_no || '', title: t.title || '', date: t.date || '', tasks: [] };
      groups.push(byId[id]);
    }
    byId[id].tasks.push(t);
  });
  return groups;
}

/* ------------------------------------------------------------------ */
/* Conversation                                                        */
/* ------------------------------------------------------------------ */

function copyOptions(defaults, options) {
  var merged = {};
  var k;
  for (k in defaults) {
    if (Object.prototype.hasOwnProperty.call(defaults, k)) merged[k] = defaults[k];
  }
  for (k in options) {
    if (Object.prototype.hasOwnProperty.call(options, k) && options[k] !== undefined) merged[k] = options[k];
  }
  return merged;
}

/**
 * A conversation: ask()/askStream() like the functions above (options are merged over `defaults`), but the
 * session id and the `context` token of each reply are kept and sent with the next question. The server signs
 * the context; any replica with the same secret can continue from it. A reply with `context: null` (nothing to
 * follow up on) clears it; a failed or aborted request keeps the previous one. reset() starts a new
 * conversation (no session id, no context); a reply to a request made before reset() is not remembered.
 *
 * defaults.sessionId / defaults.context seed the state (e.g. from wx storage);
 * defaults.onChange(state) is called with {sessionId, context} whenever it changes (e.g. to store it).
 */
function createConversation(defaults) {
  defaults = defaults || {};
  var state = { sessionId: defaults.sessionId || '', context: defaults.context || '' };
  var onChange = typeof defaults.onChange === 'function' ? defaults.onChange : null;
  var generation = 0; // bumped by reset(): replies to older requests belong to a finished conversation
  var base = copyOptions(defaults, {});
  delete base.onChange;

  function snapshot() {
    return { sessionId: state.sessionId, context: state.context };
  }
  function changed() {
    if (onChange) onChange(snapshot());
  }
  function remember(body, asked) {
    if (asked !== generation || !body || typeof body !== 'object') return;
    var before = state.sessionId + '\n' + state.context;
    if (typeof body.session_id === 'string' && body.session_id) state.sessionId = body.session_id;
    if (Object.prototype.hasOwnProperty.call(body, 'context')) {
      state.context = typeof body.context === 'string' ? body.context : '';
    }
    if (state.sessionId + '\n' + state.context !== before) changed();
  }
  function optionsFor(options) {
    var merged = copyOptions(base, options || {});
    merged.sessionId = state.sessionId || undefined;
    merged.context = state.context || undefined;
    return merged;
  }

  return {
    ask: function (options) {
      var asked = generation;
      return ask(optionsFor(options)).then(function (body) {
        remember(body, asked);
        return body;
      });
    },
    askStream: function (options, handlers) {
      handlers = handlers || {};
      var asked = generation;
      var wrapped = copyOptions(handlers, {
        onDone: function (body) {
          remember(body, asked);
          if (typeof handlers.onDone === 'function') handlers.onDone(body);
        }
      });
      return askStream(optionsFor(options), wrapped);
    },
    reset: function () {
      generation += 1;
      var had = state.sessionId || state.context;
      state.sessionId = '';
      state.context = '';
      if (had) changed();
    },
    state: snapshot
  };
}

// Only used for the (unexpected) case of string chunks, to keep raw bytes for
// error bodies.
function encodeUtf8(str) {
  var out = [];
  for (var i = 0; i < str.length; i++) {
    var c = str.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length) {
      var d = str.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** For tests: forget whether the runtime supports enableChunked. */
function _resetCapabilities() {
  chunkedSupported = undefined;
}

module.exports = {
  ask: ask,
  askStream: askStream,
  createConversation: createConversation,
  listUnits: listUnits,
  unitTasks: unitTasks,
  tasksByDocument: tasksByDocument,
  createUtf8Decoder: createUtf8Decoder,
  createSseParser: createSseParser,
  decodeUtf8: decodeUtf8,
  parseRetryAfter: parseRetryAfter,
  _resetCapabilities: _resetCapabilities
};
