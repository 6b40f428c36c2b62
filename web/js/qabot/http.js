// One JSON request (GET or POST) to the qa-bot API, and the options every request shares: the server's base URL,
// the API key, the timeout and the transport.

import { makeError, networkError, httpError, errorOf } from './errors.js';
import { coerceJson } from './utf8.js';
import { transportOf, needsBaseUrl } from './transport.js';

/** The server's base URL without a trailing slash ('' in a page: same origin). */
export function baseOf(options) {
  var base = options.baseUrl || options.base || '';
  return String(base).replace(/\/+$/, '');
}

/** Headers of a request that accepts `accept`; the API key, when there is one, as a bearer token. */
export function buildHeaders(options, accept) {
  var header = { 'Content-Type': 'application/json', Accept: accept };
  var key = options.apiKey !== undefined ? options.apiKey : options.key;
  if (key) header.Authorization = 'Bearer ' + key;
  return header;
}

/** The error for options that cannot make a request at all, or null. */
export function configError(options) {
  if (!baseOf(options) && needsBaseUrl(options)) return makeError('config_error', '未配置服务器地址');
  return null;
}

/** Any JSON object, or nothing at all (an empty 2xx body, e.g. a stored feedback). */
function anyBody(body) {
  return body === null || typeof body === 'object';
}

/**
 * {method} {base}{path} with `payload` as JSON (GET: none). Returns {promise, abort()}: the promise resolves with the
 * parsed body when isBody(body) holds, and rejects with an ApiError for a failed status, an error body, a body of
 * the wrong shape, the network or a timeout. After abort() it never settles.
 */
export function requestJson(options, method, path, payload, isBody) {
  var task = null;
  var aborted = false;
  var accepts = isBody || anyBody;
  var promise = new Promise(function (resolve, reject) {
    var bad = configError(options);
    if (bad) { reject(bad); return; }
    var header = buildHeaders(options, 'application/json');
    if (payload === undefined) delete header['Content-Type'];
    var req = {
      url: baseOf(options) + path,
      method: method,
      header: header,
      dataType: 'json',
      responseType: 'text',
      success: function (res) {
        if (aborted) return;
        var status = res.statusCode;
        if (status < 200 || status >= 300) {
          reject(httpError(status, res.data, res.header));
          return;
        }
        var empty = res.data === undefined || res.data === null || res.data === '';
        var body = empty ? null : coerceJson(res.data);
        if (errorOf(body)) reject(httpError(status, body, res.header));
        else if ((empty || body !== null) && accepts(body)) resolve(body);
        else reject(makeError('bad_response', '服务器返回了无法识别的内容', { status: status }));
      },
      fail: function (res) {
        if (aborted) return;
        reject(networkError(res));
      }
    };
    if (payload !== undefined) req.data = JSON.stringify(payload);
    if (options.timeout) req.timeout = options.timeout;
    try {
      task = transportOf(options)(req);
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

/** GET {base}{path} -> Promise<JSON body>. */
export function getJson(path, options) {
  return requestJson(options || {}, 'GET', path, undefined).promise;
}

/** POST {base}{path} with `payload` as JSON -> Promise<JSON body, or null for an empty one>. */
export function postJson(path, payload, options) {
  return requestJson(options || {}, 'POST', path, payload).promise;
}
