// Generated from web/js/qabot/utf8.js by web/tools/sync-client.js (npm run sync-client): edit that file, not this copy.
'use strict';
// Bytes and UTF-8 without TextDecoder (old WeChat JS engines have none): a streaming decoder that a character split
// across two chunks survives, and JSON out of whatever a transport hands over (object, string or bytes).

var REPLACEMENT = 0xfffd;

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

/** UTF-8 bytes of a string, as an array: for the (unexpected) string chunks, whose raw bytes are kept for error bodies. */
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

module.exports = {
  toBytes: toBytes,
  createUtf8Decoder: createUtf8Decoder,
  decodeUtf8: decodeUtf8,
  coerceJson: coerceJson,
  encodeUtf8: encodeUtf8
};
