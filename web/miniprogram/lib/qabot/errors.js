// Generated from web/js/qabot/errors.js by web/tools/sync-client.js (npm run sync-client): edit that file, not this copy.
'use strict';
// The client's one error type, ApiError, and how an HTTP failure or a transport failure becomes one.
// Messages are for people (readable Chinese); `code` is for scripts and tests, never shown.

var coerceJson = require('./utf8.js').coerceJson;

/** Failures that asking again can cure: the network, the stream, an overloaded or restarting server, a rate limit. */
var RETRYABLE_CODES = [
  'network_error',
  'timeout',
  'stream_incomplete',
  'bad_response',
  'server_error',
  'internal_error', // an `error` event in the middle of a stream (its HTTP status was 200)
  'index_loading',
  'index_not_ready',
  'rate_limited'
];

/** The code and the message for a failed status whose body says nothing. */
var STATUS_DEFAULTS = {
  400: ['bad_request', '请求参数有误'],
  401: ['unauthorized', '需要有效的访问密钥'],
  403: ['forbidden', '没有访问权限'],
  404: ['not_found', '服务地址不存在，请检查服务器配置'],
  413: ['payload_too_large', '问题内容过长'],
  422: ['bad_request', '请求参数有误'],
  429: ['rate_limited', '请求过于频繁，请稍后再试']
};

/**
 * A failed request: message (for people), code, status (0 when no HTTP status was seen), and when known
 * retryAfter (seconds) and closest (names, for an unknown unit). `retryable`: would the same request, sent
 * again, have a chance? Not for a refused question (4xx other than 408 and 429).
 * A constructor function rather than a class: old WeChat JS engines run this file too.
 */
function ApiError(message, code, status) {
  this.name = 'ApiError';
  this.message = message;
  this.code = code || 'error';
  this.status = status || 0;
  if (typeof Error.captureStackTrace === 'function') Error.captureStackTrace(this, ApiError);
  else this.stack = new Error(message).stack;
}
ApiError.prototype = Object.create(Error.prototype);
ApiError.prototype.constructor = ApiError;
Object.defineProperty(ApiError.prototype, 'retryable', {
  get: function () {
    var s = this.status;
    return s === 0 || s === 408 || s === 429 || s >= 500 || RETRYABLE_CODES.indexOf(this.code) !== -1;
  }
});

/** new ApiError(message, code, extra.status) with the other defined fields of `extra` copied onto it. */
function makeError(code, message, extra) {
  var err = new ApiError(message, code, extra && extra.status);
  if (extra) {
    for (var k in extra) {
      if (Object.prototype.hasOwnProperty.call(extra, k) && k !== 'status' && extra[k] !== undefined) err[k] = extra[k];
    }
  }
  return err;
}

/** The error for a request that got no HTTP answer ({errMsg} as wx.request's `fail` gives it). */
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

/** The {"error": {...}} object of a parsed body, or null. */
function errorOf(parsed) {
  return parsed && typeof parsed === 'object' && parsed.error && typeof parsed.error === 'object' ? parsed.error : null;
}

/** The error for a non-2xx response. body may be object, string, ArrayBuffer. */
function httpError(statusCode, body, headers) {
  var e = errorOf(coerceJson(body));
  var def = STATUS_DEFAULTS[statusCode] ||
    (statusCode >= 500 ? ['server_error', '服务器繁忙，请稍后再试'] : ['http_error', '请求失败（HTTP ' + statusCode + '）']);
  var code = e && typeof e.code === 'string' && e.code ? e.code : def[0];
  var message = e && typeof e.message === 'string' && e.message ? e.message : def[1];
  var retryAfter = parseRetryAfter(getHeader(headers, 'Retry-After'));
  if (retryAfter === undefined && e && typeof e.retry_after === 'number') retryAfter = e.retry_after;
  var closest = e && Array.isArray(e.closest) ? e.closest.filter(function (c) { return typeof c === 'string'; }) : undefined;
  return makeError(code, message, { status: statusCode, retryAfter: retryAfter, closest: closest });
}

/** The error of a stream's `error` event ({"error": {code, message}} or the bare {code, message}) on a response
 *  of status `streamStatus` (its HTTP status was sent before anything went wrong). */
function streamError(payload, streamStatus) {
  var e = payload && typeof payload === 'object' ? payload : {};
  if (e.error && typeof e.error === 'object') e = e.error;
  var status = typeof e.status === 'number' ? e.status : streamStatus;
  var def = status && STATUS_DEFAULTS[status];
  return makeError(
    typeof e.code === 'string' && e.code ? e.code : (def ? def[0] : 'server_error'),
    typeof e.message === 'string' && e.message ? e.message : (def ? def[1] : '服务器出错，请稍后再试'),
    { status: status, retryAfter: typeof e.retry_after === 'number' ? e.retry_after : undefined }
  );
}

module.exports = {
  ApiError: ApiError,
  makeError: makeError,
  networkError: networkError,
  parseRetryAfter: parseRetryAfter,
  errorOf: errorOf,
  httpError: httpError,
  streamError: streamError
};
