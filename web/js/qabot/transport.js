// The network edge: wx.request in a WeChat mini-program, fetch() in a browser behind the same interface, so the
// client above it is written once. The interface is wx.request's: request(options) with url, method, header, data,
// enableChunked, responseType, timeout, success({statusCode, header, data}), fail({errMsg}); it returns a task with
// abort(), onHeadersReceived(cb) and (when chunks can be received) onChunkReceived(cb).

/** The transport of a request: options.transport, else wx.request where `wx` exists, else fetchRequest. */
export function transportOf(options) {
  if (typeof options.transport === 'function') return options.transport;
  var wx = wxGlobal();
  if (wx) return function (req) { return wx.request(req); };
  return fetchRequest;
}

/** Does the transport need an absolute URL? A page's fetch() resolves "/api/ask" against the page. */
export function needsBaseUrl(options) {
  return transportOf(options) !== fetchRequest;
}

function wxGlobal() {
  if (typeof wx !== 'undefined') return wx; // eslint-disable-line no-undef
  if (typeof globalThis !== 'undefined' && globalThis.wx) return globalThis.wx;
  return null;
}

function headerObject(headers) {
  var out = {};
  if (headers && typeof headers.forEach === 'function') headers.forEach(function (value, name) { out[name] = value; });
  return out;
}

/**
 * wx.request over fetch(). A streamed request (enableChunked) hands each piece of the body to onChunkReceived as a
 * Uint8Array and ends with success({data: empty}); without a readable body (a very old web-view) the whole body
 * comes in success. Any other request gets its body as text in success. Same-origin credentials; a stream is never
 * taken from the HTTP cache.
 */
export function fetchRequest(req) {
  var headerCallbacks = [];
  var chunkCallbacks = [];
  var controller = typeof AbortController === 'function' ? new AbortController() : null;
  var settled = false;
  var reason = ''; // why the request was cut: 'abort' or 'timeout'
  var timer = null;

  function finish(callback, res) {
    if (settled) return;
    settled = true;
    if (timer) clearTimeout(timer);
    if (typeof callback === 'function') callback(res);
  }
  function cut(why) {
    if (settled) return;
    reason = why;
    if (controller) controller.abort();
    finish(req.fail, { errMsg: 'request:fail ' + why });
  }

  var init = { method: req.method || 'GET', headers: req.header || {}, credentials: 'same-origin' };
  if (req.enableChunked) init.cache = 'no-store';
  if (req.data !== undefined) init.body = req.data;
  if (controller) init.signal = controller.signal;
  if (req.timeout) timer = setTimeout(function () { cut('timeout'); }, req.timeout);

  fetch(req.url, init).then(function (response) {
    var head = { statusCode: response.status, header: headerObject(response.headers) };
    headerCallbacks.forEach(function (cb) { if (!settled) cb(head); });
    function succeed(data) {
      finish(req.success, { statusCode: head.statusCode, header: head.header, data: data });
    }
    if (req.enableChunked && response.body && typeof response.body.getReader === 'function') {
      var reader = response.body.getReader();
      var pump = function () {
        return reader.read().then(function (step) {
          if (settled) {
            reader.cancel().catch(function () {});
            return undefined;
          }
          if (step.done) {
            succeed(new ArrayBuffer(0));
            return undefined;
          }
          chunkCallbacks.forEach(function (cb) { if (!settled) cb({ data: step.value }); });
          return pump();
        });
      };
      return pump();
    }
    return (req.responseType === 'arraybuffer' ? response.arrayBuffer() : response.text()).then(succeed);
  }).catch(function (err) {
    finish(req.fail, { errMsg: 'request:fail ' + (reason || (err && err.message) || 'network') });
  });

  return {
    abort: function () { cut('abort'); },
    onHeadersReceived: function (cb) { headerCallbacks.push(cb); },
    onChunkReceived: function (cb) { chunkCallbacks.push(cb); }
  };
}
