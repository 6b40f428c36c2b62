'use strict';
// Run from the repository root:  node --test web/miniprogram/test/
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const qabot = require(path.join(__dirname, '..', 'lib', 'qabot.js'));
const { ask, askStream, createUtf8Decoder, createSseParser, parseRetryAfter } = qabot;

const BASE = 'https://qa.example.gov.cn';

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

const enc = (s) => new Uint8Array(Buffer.from(s, 'utf8'));

function toArrayBuffer(u8) {
  const ab = new ArrayBuffer(u8.length);
  new Uint8Array(ab).set(u8);
  return ab;
}

// Deterministic PRNG (mulberry32) for the random-split tests.
function rng(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function splitAt(bytes, points) {
  const parts = [];
  let prev = 0;
  for (const p of points) {
    parts.push(bytes.slice(prev, p));
    prev = p;
  }
  parts.push(bytes.slice(prev));
  return parts;
}

function randomSplits(bytes, random, maxParts) {
  const n = 1 + Math.floor(random() * maxParts);
  const pts = new Set();
  for (let i = 0; i < n; i++) pts.add(Math.floor(random() * (bytes.length + 1)));
  return splitAt(bytes, [...pts].sort((a, b) => a - b));
}

/**
 * Fake `wx`: wx.request records its options and returns a task. Each call
 * gets a controller to feed headers/chunks and finish the request.
 *   opts.chunked  - task has onChunkReceived (default true)
 */
function installWx(opts = {}) {
  const chunked = opts.chunked !== false;
  const calls = [];
  globalThis.wx = {
    request(options) {
      const call = {
        options,
        chunkCbs: [],
        headersCbs: [],
        aborted: false,
        settled: false,
        headers(statusCode, header = {}) {
          for (const cb of call.headersCbs) cb({ statusCode, header });
        },
        chunk(bytes) {
          const u8 = typeof bytes === 'string' ? enc(bytes) : bytes;
          for (const cb of call.chunkCbs) cb({ data: toArrayBuffer(u8) });
        },
        succeed(statusCode = 200, data = new ArrayBuffer(0), header = {}) {
          if (call.settled) return;
          call.settled = true;
          const res = { statusCode, data, header, errMsg: 'request:ok' };
          if (options.success) options.success(res);
          if (options.complete) options.complete(res);
        },
        failWith(errMsg = 'request:fail') {
          if (call.settled) return;
          call.settled = true;
          const res = { errMsg };
          if (options.fail) options.fail(res);
          if (options.complete) options.complete(res);
        }
      };
      const task = {
        abort() {
          call.aborted = true;
          // like WeChat: an aborted request fails with "request:fail abort"
          call.failWith('request:fail abort');
        },
        onHeadersReceived(cb) { call.headersCbs.push(cb); }
      };
      if (chunked) task.onChunkReceived = (cb) => { call.chunkCbs.push(cb); };
      calls.push(call);
      return task;
    }
  };
  qabot._resetCapabilities();
  return calls;
}

function collector() {
  const r = { deltas: [], done: null, errors: [], events: [] };
  r.handlers = {
    onDelta: (t) => { r.deltas.push(t); r.events.push('delta'); },
    onDone: (b) => { r.done = b; r.events.push('done'); },
    onError: (e) => { r.errors.push(e); r.events.push('error'); }
  };
  r.text = () => r.deltas.join('');
  return r;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function sse(event, obj) {
  return 'event: ' + event + '\ndata: ' + JSON.stringify(obj) + '\n\n';
}

const BODY = {
  answer: '根据《锦州市人民政府公报》2022年第4期，相关办法自发布之日起施行。😀',
  found: true,
  citations: [
    {
      doc_id: 'jz-2022-04-001',
      doc_no: '锦政发〔2022〕5号',
      title: '锦州市人民政府关于印发某某管理办法的通知',
      section: '第三条',
      text: '本办法自发布之日起施行。',
      chunk_id: 'jz-2022-04-001#3',
      score: 0.87
    }
  ],
  latency_ms: 123,
  session_id: 's-1'
};

const DELTAS = ['根据《锦州市人民政府公报》', '2022年第4期，', '相关办法自发布之日起施行。', '😀'];

const SAMPLE =
  ': keep-alive comment\n\n' +
  DELTAS.map((t) => sse('delta', { text: t })).join('') +
  sse('done', BODY);

const SAMPLE_BYTES = enc(SAMPLE);

function runStream(parts, options = {}) {
  const calls = installWx();
  const r = collector();
  askStream({ baseUrl: BASE, question: '施行日期？', ...options }, r.handlers);
  assert.equal(calls.length, 1);
  const call = calls[0];
  call.headers(200, { 'Content-Type': 'text/event-stream; charset=utf-8' });
  for (const p of parts) call.chunk(p);
  call.succeed(200, new ArrayBuffer(0), {});
  return { r, call, calls };
}

/* ------------------------------------------------------------------ */
/* UTF-8 decoder                                                       */
/* ------------------------------------------------------------------ */

test('utf8: decodes ASCII, Chinese and emoji in one chunk', () => {
  const d = createUtf8Decoder();
  assert.equal(d.decode(enc('abc 中文公报 😀')) + d.end(), 'abc 中文公报 😀');
});

test('utf8: accepts ArrayBuffer, Uint8Array views and arrays', () => {
  const d = createUtf8Decoder();
  const bytes = enc('x中y');
  assert.equal(d.decode(toArrayBuffer(bytes)), 'x中y');
  const big = new Uint8Array([0, 0, ...bytes, 0]);
  assert.equal(d.decode(big.subarray(2, 2 + bytes.length)), 'x中y');
  assert.equal(d.decode(Array.from(bytes)), 'x中y');
});

test('utf8: 3-byte character split across chunks in every way', () => {
  const bytes = enc('中'); // e4 b8 ad
  assert.equal(bytes.length, 3);
  for (let i = 0; i <= 3; i++) {
    for (let j = i; j <= 3; j++) {
      const d = createUtf8Decoder();
      const a = d.decode(bytes.slice(0, i));
      const b = d.decode(bytes.slice(i, j));
      const c = d.decode(bytes.slice(j));
      assert.equal(a + b + c + d.end(), '中', `split ${i},${j}`);
      // nothing is emitted before the character is complete
      if (j < 3) assert.equal(a + b, '');
    }
  }
  const d = createUtf8Decoder();
  assert.equal(d.decode(bytes.slice(0, 2)), '');
  assert.equal(d.pending(), 2);
  assert.equal(d.decode(bytes.slice(2)), '中');
  assert.equal(d.pending(), 0);
});

test('utf8: 4-byte emoji split byte by byte gives a proper surrogate pair', () => {
  const bytes = enc('a😀b'); // f0 9f 98 80
  for (let i = 0; i <= bytes.length; i++) {
    for (let j = i; j <= bytes.length; j++) {
      const d = createUtf8Decoder();
      const out = splitAt(bytes, [i, j]).map((p) => d.decode(p)).join('') + d.end();
      assert.equal(out, 'a😀b');
      assert.equal(out.codePointAt(1), 0x1f600);
    }
  }
  const d = createUtf8Decoder();
  let out = '';
  for (const b of bytes) out += d.decode([b]);
  assert.equal(out + d.end(), 'a😀b');
});

test('utf8: invalid bytes become U+FFFD', () => {
  const dec = (arr) => { const d = createUtf8Decoder(); return d.decode(arr) + d.end(); };
  assert.equal(dec([0xff]), '\ufffd');
  assert.equal(dec([0x80, 0x41]), '\ufffdA');
  assert.equal(dec([0xe4, 0x41]), '\ufffdA'); // truncated sequence then ASCII
  assert.equal(dec([0xc0, 0x80]), '\ufffd\ufffd'); // overlong
  assert.equal(dec([0xed, 0xa0, 0x80]), '\ufffd\ufffd\ufffd'); // surrogate
  assert.equal(dec([0xf4, 0x90, 0x80, 0x80]), '\ufffd\ufffd\ufffd\ufffd'); // > U+10FFFF
  assert.equal(dec([0xe4, 0xb8]), '\ufffd'); // incomplete at end of stream
  // decoder is reusable after end()
  const d = createUtf8Decoder();
  assert.equal(d.decode([0xe4, 0xb8]), '');
  assert.equal(d.end(), '\ufffd');
  assert.equal(d.decode(enc('好')), '好');
});

test('utf8: matches TextDecoder on random byte streams split randomly (seeded)', () => {
  const random = rng(20220401);
  const alphabet = [
    ...enc('a中😀é\n'),
    0x80, 0xbf, 0xc0, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0xa0, 0x9f, 0x90, 0x8f
  ];
  for (let iter = 0; iter < 500; iter++) {
    const len = Math.floor(random() * 40);
    const bytes = new Uint8Array(len);
    for (let i = 0; i < len; i++) bytes[i] = alphabet[Math.floor(random() * alphabet.length)];
    const expected = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const d = createUtf8Decoder();
    const got = randomSplits(bytes, random, 6).map((p) => d.decode(p)).join('') + d.end();
    assert.equal(got, expected, `bytes ${Buffer.from(bytes).toString('hex')}`);
  }
});

/* ------------------------------------------------------------------ */
/* SSE parser                                                          */
/* ------------------------------------------------------------------ */

function parseAll(chunks) {
  const events = [];
  const p = createSseParser((e) => events.push(e));
  for (const c of chunks) p.push(c);
  p.end();
  return events;
}

test('sse: basic events, default type "message", unknown fields ignored', () => {
  const ev = parseAll(['event: delta\ndata: {"text":"你"}\n\ndata: hi\nfoo: bar\n\n']);
  assert.deepEqual(ev.map((e) => [e.event, e.data]), [['delta', '{"text":"你"}'], ['message', 'hi']]);
});

test('sse: \\r\\n and bare \\r line endings, including \\r and \\n in different chunks', () => {
  assert.deepEqual(
    parseAll(['event: delta\r\ndata: a\r\n\r\nevent: x\rdata: b\r\r']).map((e) => [e.event, e.data]),
    [['delta', 'a'], ['x', 'b']]
  );
  // "\r" ends one chunk, "\n" starts the next: one line break, not two
  // (two would dispatch "a" early instead of joining "a\nb").
  assert.deepEqual(
    parseAll(['data: a\r', '\ndata: b\r', '\n\r', '\n']).map((e) => e.data),
    ['a\nb']
  );
  // every split point of a CRLF stream
  const s = 'event: delta\r\ndata: 第一行\r\ndata: 第二行\r\n\r\n: c\r\nevent: done\r\ndata: {}\r\n\r\n';
  for (let i = 0; i <= s.length; i++) {
    const ev = parseAll([s.slice(0, i), s.slice(i)]);
    assert.deepEqual(ev.map((e) => [e.event, e.data]), [['delta', '第一行\n第二行'], ['done', '{}']], `split ${i}`);
  }
});

test('sse: multi-line data joined with \\n', () => {
  const ev = parseAll(['data: line1\ndata: line2\ndata:\ndata: line4\n\n']);
  assert.equal(ev.length, 1);
  assert.equal(ev[0].data, 'line1\nline2\n\nline4');
});

test('sse: comment lines are ignored', () => {
  const ev = parseAll([':ping\n\n: another comment\nevent: delta\n:mid comment\ndata: x\n\n:\n\n']);
  assert.deepEqual(ev.map((e) => [e.event, e.data]), [['delta', 'x']]);
});

test('sse: only one leading space after the colon is removed; no-colon lines', () => {
  const ev = parseAll(['data:x\n\ndata:  two\n\ndata\n\nevent:delta\ndata: y \n\n']);
  assert.deepEqual(ev.map((e) => [e.event, e.data]), [['message', 'x'], ['message', ' two'], ['message', ''], ['delta', 'y ']]);
});

test('sse: event without data is not dispatched; unterminated event dropped at end; BOM skipped', () => {
  const ev = parseAll(['\ufeffevent: delta\n\nid: 7\nretry: 1000\ndata: ok\n\nevent: done\ndata: {"partial":1}']);
  assert.deepEqual(ev.map((e) => [e.event, e.data, e.id]), [['message', 'ok', '7']]);
  const events = [];
  const p = createSseParser((e) => events.push(e));
  p.push('retry: 2500\n\n');
  assert.equal(p.retry(), 2500);
});

/* ------------------------------------------------------------------ */
/* askStream                                                           */
/* ------------------------------------------------------------------ */

test('askStream: request options (URL, method, chunked, arraybuffer, headers, JSON body)', () => {
  const calls = installWx();
  askStream({ baseUrl: BASE + '/', question: '问题', topK: 3, sessionId: 'abc' }, collector().handlers);
  const o = calls[0].options;
  assert.equal(o.url, BASE + '/api/ask/stream');
  assert.equal(o.method, 'POST');
  assert.equal(o.enableChunked, true);
  assert.equal(o.responseType, 'arraybuffer');
  assert.equal(o.header['Content-Type'], 'application/json');
  assert.equal(o.header.Accept, 'text/event-stream');
  assert.equal('Authorization' in o.header, false);
  assert.deepEqual(JSON.parse(o.data), { question: '问题', top_k: 3, session_id: 'abc' });
});

test('askStream: whole stream in one chunk', () => {
  const { r } = runStream([SAMPLE_BYTES]);
  assert.deepEqual(r.deltas, DELTAS);
  assert.deepEqual(r.done, BODY);
  assert.equal(r.errors.length, 0);
  assert.deepEqual(r.events.slice(-1), ['done']);
});

test('askStream: stream split in two at every byte position', () => {
  for (let i = 0; i <= SAMPLE_BYTES.length; i++) {
    const { r } = runStream(splitAt(SAMPLE_BYTES, [i]));
    assert.equal(r.text(), DELTAS.join(''), `split at byte ${i}`);
    assert.deepEqual(r.done, BODY, `split at byte ${i}`);
    assert.equal(r.errors.length, 0, `split at byte ${i}`);
    assert.ok(!r.text().includes('\ufffd'));
  }
});

test('askStream: random multi-split with a fixed seed, and one byte per chunk', () => {
  const random = rng(42);
  for (let iter = 0; iter < 300; iter++) {
    const parts = randomSplits(SAMPLE_BYTES, random, 12);
    const { r } = runStream(parts);
    assert.equal(r.text(), DELTAS.join(''), `iteration ${iter}`);
    assert.deepEqual(r.done, BODY);
    assert.equal(r.errors.length, 0);
  }
  const bytewise = Array.from(SAMPLE_BYTES, (b) => new Uint8Array([b]));
  const { r } = runStream(bytewise);
  assert.deepEqual(r.deltas, DELTAS);
  assert.deepEqual(r.done, BODY);
});

test('askStream: CRLF stream split at every byte position', () => {
  const crlf = enc(SAMPLE.replace(/\n/g, '\r\n'));
  for (let i = 0; i <= crlf.length; i++) {
    const { r } = runStream(splitAt(crlf, [i]));
    assert.deepEqual(r.deltas, DELTAS, `split at byte ${i}`);
    assert.deepEqual(r.done, BODY);
  }
});

test('askStream: onDelta receives the accumulated text as second argument', () => {
  const calls = installWx();
  const seen = [];
  askStream({ baseUrl: BASE, question: 'q' }, { onDelta: (t, full) => seen.push([t, full]) });
  calls[0].chunk(sse('delta', { text: '甲' }) + sse('delta', { text: '乙' }));
  assert.deepEqual(seen, [['甲', '甲'], ['乙', '甲乙']]);
});

test('askStream: error event calls onError with code and message, not onDone', () => {
  const stream = sse('delta', { text: '部分' }) +
    sse('error', { error: { code: 'upstream_error', message: '生成回答时出错，请稍后再试' } });
  const { r } = runStream([enc(stream)]);
  assert.deepEqual(r.deltas, ['部分']);
  assert.equal(r.done, null);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].code, 'upstream_error');
  assert.equal(r.errors[0].message, '生成回答时出错，请稍后再试');
  assert.ok(r.errors[0] instanceof Error);
});

test('askStream: events after done are ignored and only one terminal handler fires', () => {
  const { r } = runStream([enc(SAMPLE + sse('delta', { text: '多余' }) + sse('error', { error: { code: 'x', message: 'y' } }))]);
  assert.deepEqual(r.deltas, DELTAS);
  assert.deepEqual(r.events.filter((e) => e !== 'delta'), ['done']);
});

test('askStream: stream that ends without done is an error', () => {
  const { r } = runStream([enc(sse('delta', { text: '半' }) + 'event: done\ndata: {"answer"')]);
  assert.equal(r.done, null);
  assert.equal(r.errors[0].code, 'stream_incomplete');
  assert.equal(r.errors[0].message, '回答中断，请重试');
});

test('askStream: HTTP 401 / 429 before the stream starts', () => {
  let calls = installWx();
  let r = collector();
  askStream({ baseUrl: BASE, question: 'q' }, r.handlers);
  calls[0].headers(401, { 'Content-Type': 'application/json' });
  calls[0].chunk(JSON.stringify({ error: { code: 'unauthorized', message: '需要有效的访问密钥' } }));
  calls[0].succeed(401, new ArrayBuffer(0), { 'Content-Type': 'application/json' });
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].code, 'unauthorized');
  assert.equal(r.errors[0].message, '需要有效的访问密钥');
  assert.equal(r.errors[0].status, 401);

  // no onHeadersReceived event: status only known in success, body arrived in chunks
  calls = installWx();
  r = collector();
  askStream({ baseUrl: BASE, question: 'q' }, r.handlers);
  const body = enc(JSON.stringify({ error: { code: 'rate_limited', message: '请求过于频繁，请稍后再试' } }));
  for (const p of splitAt(body, [5, 40])) calls[0].chunk(p);
  calls[0].succeed(429, new ArrayBuffer(0), { 'retry-after': '30' });
  assert.equal(r.errors[0].code, 'rate_limited');
  assert.equal(r.errors[0].message, '请求过于频繁，请稍后再试');
  assert.equal(r.errors[0].retryAfter, 30);
});

test('askStream: whole SSE body delivered only in success (no chunks) still works', () => {
  const calls = installWx();
  const r = collector();
  askStream({ baseUrl: BASE, question: 'q' }, r.handlers);
  calls[0].succeed(200, toArrayBuffer(SAMPLE_BYTES), {});
  assert.deepEqual(r.deltas, DELTAS);
  assert.deepEqual(r.done, BODY);
});

test('askStream: network failure', () => {
  const calls = installWx();
  const r = collector();
  askStream({ baseUrl: BASE, question: 'q' }, r.handlers);
  calls[0].chunk(sse('delta', { text: '开' }));
  calls[0].failWith('request:fail net::ERR_CONNECTION_RESET');
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].code, 'network_error');
  assert.equal(r.errors[0].message, '网络连接失败');
});

test('askStream: abort() stops everything and no handler fires afterwards', () => {
  const calls = installWx();
  const r = collector();
  const ctl = askStream({ baseUrl: BASE, question: 'q' }, r.handlers);
  const half = Math.floor(SAMPLE_BYTES.length / 2);
  calls[0].chunk(SAMPLE_BYTES.slice(0, half));
  const before = r.deltas.length;
  assert.ok(before > 0);
  ctl.abort(); // the fake task fails with "request:fail abort"
  assert.equal(calls[0].aborted, true);
  calls[0].chunk(SAMPLE_BYTES.slice(half));
  calls[0].succeed(200);
  assert.equal(r.deltas.length, before);
  assert.equal(r.done, null);
  assert.equal(r.errors.length, 0);
  ctl.abort(); // idempotent
});

test('askStream: falls back to ask() when onChunkReceived is missing', async () => {
  const calls = installWx({ chunked: false });
  const r = collector();
  askStream({ baseUrl: BASE, apiKey: 'k1', question: '问', topK: 4 }, r.handlers);
  // the stream request is abandoned, /api/ask is used instead
  assert.equal(calls.length, 2);
  assert.equal(calls[0].aborted, true);
  assert.equal(calls[1].options.url, BASE + '/api/ask');
  assert.equal(calls[1].options.enableChunked, undefined);
  assert.equal(calls[1].options.header.Authorization, 'Bearer k1');
  assert.deepEqual(JSON.parse(calls[1].options.data), { question: '问', top_k: 4 });
  calls[1].succeed(200, BODY, {});
  await tick();
  assert.equal(r.errors.length, 0);
  assert.deepEqual(r.deltas, [BODY.answer]);
  assert.deepEqual(r.done, BODY);

  // capability is remembered: the next call goes straight to /api/ask
  const r2 = collector();
  askStream({ baseUrl: BASE, question: '再问' }, r2.handlers);
  assert.equal(calls.length, 3);
  assert.equal(calls[2].options.url, BASE + '/api/ask');
  calls[2].succeed(401, { error: { code: 'unauthorized', message: '需要有效的访问密钥' } }, {});
  await tick();
  assert.equal(r2.errors[0].code, 'unauthorized');
  assert.equal(r2.done, null);
});

test('askStream: falls back to ask() when the stream route is missing (404)', async () => {
  const calls = installWx();
  const r = collector();
  askStream({ baseUrl: BASE, question: 'q' }, r.handlers);
  calls[0].headers(404, {});
  calls[0].chunk('{"detail":"Not Found"}');
  calls[0].succeed(404, new ArrayBuffer(0), {});
  assert.equal(calls.length, 2);
  assert.equal(calls[1].options.url, BASE + '/api/ask');
  calls[1].succeed(200, BODY, {});
  await tick();
  assert.deepEqual(r.done, BODY);
  assert.equal(r.errors.length, 0);
});

test('askStream: error event with an unwrapped {code, message} payload', () => {
  const { r } = runStream([enc(sse('error', { code: 'llm_unavailable', message: '模型服务暂不可用' }))]);
  assert.equal(r.errors[0].code, 'llm_unavailable');
  assert.equal(r.errors[0].message, '模型服务暂不可用');
});

test('askStream: abort() during the ask() fallback', async () => {
  const calls = installWx({ chunked: false });
  const r = collector();
  const ctl = askStream({ baseUrl: BASE, question: 'q' }, r.handlers);
  ctl.abort();
  assert.equal(calls[1].aborted, true);
  calls[1].succeed(200, BODY, {});
  await tick();
  assert.deepEqual(r.events, []);
});

test('askStream: missing question or base URL reports an error asynchronously', async () => {
  const calls = installWx();
  const r = collector();
  askStream({ baseUrl: BASE, question: '   ' }, r.handlers);
  assert.equal(r.errors.length, 0);
  await tick();
  assert.equal(r.errors[0].code, 'bad_request');
  const r2 = collector();
  askStream({ question: 'q' }, r2.handlers);
  await tick();
  assert.equal(r2.errors[0].code, 'config_error');
  assert.equal(calls.length, 0);
});

/* ------------------------------------------------------------------ */
/* ask                                                                 */
/* ------------------------------------------------------------------ */

test('ask: success resolves with the body and sends JSON', async () => {
  const calls = installWx();
  const p = ask({ baseUrl: BASE, question: '公报第4期有哪些文件？', topK: 5, sessionId: 's-1' });
  const o = calls[0].options;
  assert.equal(o.url, BASE + '/api/ask');
  assert.equal(o.method, 'POST');
  assert.equal(o.header['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(o.data), { question: '公报第4期有哪些文件？', top_k: 5, session_id: 's-1' });
  calls[0].succeed(200, BODY, {});
  assert.deepEqual(await p, BODY);

  // body delivered as a JSON string also works
  const p2 = ask({ baseUrl: BASE, question: 'q' });
  calls[1].succeed(200, JSON.stringify({ ...BODY, found: false, citations: [] }), {});
  const b2 = await p2;
  assert.equal(b2.found, false);
});

test('ask: HTTP 401 rejects with code and Chinese message', async () => {
  const calls = installWx();
  const p = ask({ baseUrl: BASE, question: 'q' });
  calls[0].succeed(401, { error: { code: 'unauthorized', message: '需要有效的访问密钥' } }, {});
  await assert.rejects(p, (err) => {
    assert.ok(err instanceof Error);
    assert.equal(err.code, 'unauthorized');
    assert.equal(err.message, '需要有效的访问密钥');
    assert.equal(err.status, 401);
    return true;
  });
  // empty / non-JSON body: default message
  const p2 = ask({ baseUrl: BASE, question: 'q' });
  calls[1].succeed(401, '<html>Unauthorized</html>', {});
  await assert.rejects(p2, { code: 'unauthorized', message: '需要有效的访问密钥' });
});

test('ask: HTTP 429 rejects with message and retryAfter from Retry-After', async () => {
  const calls = installWx();
  const p = ask({ baseUrl: BASE, question: 'q' });
  calls[0].succeed(429, { error: { code: 'rate_limited', message: '请求过于频繁，请稍后再试' } }, { 'Retry-After': '12' });
  await assert.rejects(p, (err) => {
    assert.equal(err.code, 'rate_limited');
    assert.equal(err.message, '请求过于频繁，请稍后再试');
    assert.equal(err.status, 429);
    assert.equal(err.retryAfter, 12);
    return true;
  });
  // lower-case header, no body
  const p2 = ask({ baseUrl: BASE, question: 'q' });
  calls[1].succeed(429, '', { 'retry-after': '3' });
  await assert.rejects(p2, { code: 'rate_limited', message: '请求过于频繁，请稍后再试', retryAfter: 3 });
  // HTTP-date form
  const now = Date.parse('2024-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:10 GMT', now), 10);
  assert.equal(parseRetryAfter('garbage', now), undefined);
});

test('ask: other server errors keep the server code/message; 5xx default', async () => {
  const calls = installWx();
  const p = ask({ baseUrl: BASE, question: 'q' });
  calls[0].succeed(400, { error: { code: 'question_too_long', message: '问题不能超过500字' } }, {});
  await assert.rejects(p, { code: 'question_too_long', message: '问题不能超过500字', status: 400 });
  const p2 = ask({ baseUrl: BASE, question: 'q' });
  calls[1].succeed(502, 'Bad Gateway', {});
  await assert.rejects(p2, { code: 'server_error', message: '服务器繁忙，请稍后再试', status: 502 });
});

test('ask: network failure and timeout', async () => {
  const calls = installWx();
  const p = ask({ baseUrl: BASE, question: 'q' });
  calls[0].failWith('request:fail net::ERR_NAME_NOT_RESOLVED');
  await assert.rejects(p, { code: 'network_error', message: '网络连接失败' });
  const p2 = ask({ baseUrl: BASE, question: 'q', timeout: 1000 });
  assert.equal(calls[1].options.timeout, 1000);
  calls[1].failWith('request:fail timeout');
  await assert.rejects(p2, { code: 'timeout' });
});

test('Authorization header only when a key is configured', () => {
  const calls = installWx();
  ask({ baseUrl: BASE, question: 'q', apiKey: 'secret-key' }).catch(() => {});
  ask({ baseUrl: BASE, question: 'q', apiKey: '' }).catch(() => {});
  ask({ baseUrl: BASE, question: 'q' }).catch(() => {});
  askStream({ baseUrl: BASE, question: 'q', apiKey: 'secret-key' }, {});
  askStream({ baseUrl: BASE, question: 'q', apiKey: null }, {});
  const auth = calls.map((c) => c.options.header.Authorization);
  assert.deepEqual(auth, ['Bearer secret-key', undefined, undefined, 'Bearer secret-key', undefined]);
  for (const c of calls) {
    if (c.options.header.Authorization === undefined) assert.equal('Authorization' in c.options.header, false);
  }
});

test('config.js exports a base URL and optional key', () => {
  const config = require(path.join(__dirname, '..', 'config.js'));
  assert.match(config.baseUrl, /^https:\/\//);
  assert.equal(typeof config.apiKey, 'string');
});

/* ------------------------------------------------------------------ */
/* chat page smoke test (fake Page/setData)                            */
/* ------------------------------------------------------------------ */

function setPath(obj, p, value) {
  const keys = p.replace(/\[(\d+)\]/g, '.$1').split('.');
  let o = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    if (o[keys[i]] === undefined) o[keys[i]] = /^\d+$/.test(keys[i + 1]) ? [] : {};
    o = o[keys[i]];
  }
  o[keys[keys.length - 1]] = value;
}

function loadPage() {
  let def;
  globalThis.Page = (d) => { def = d; };
  const file = path.join(__dirname, '..', 'pages', 'chat', 'chat.js');
  delete require.cache[require.resolve(file)];
  require(file);
  delete globalThis.Page;
  const page = Object.assign({}, def, { data: JSON.parse(JSON.stringify(def.data)) });
  page.setData = function (patch) {
    for (const k of Object.keys(patch)) setPath(this.data, k, patch[k]);
  };
  return page;
}

test('chat page: streams a reply, shows citations, toggles clause text, not-found style', async () => {
  const calls = installWx();
  const storage = {};
  Object.assign(globalThis.wx, {
    getStorageSync: (k) => storage[k],
    setStorageSync: (k, v) => { storage[k] = v; },
    removeStorageSync: (k) => { delete storage[k]; }
  });
  const page = loadPage();
  page.onLoad();
  assert.equal(page.data.messages.length, 1);

  page.onInput({ detail: { value: '  施行日期？ ' } });
  assert.equal(page.data.canSend, true);
  page.onSend();
  assert.equal(page.data.busy, true);
  assert.equal(page.data.messages[1].text, '施行日期？');
  assert.equal(page.data.messages[2].streaming, true);
  assert.deepEqual(JSON.parse(calls[0].options.data), { question: '施行日期？' }); // no top_k: the server's default

  calls[0].chunk(SAMPLE_BYTES.slice(0, 120));
  await new Promise((r) => setTimeout(r, 120)); // throttled flush
  assert.ok(page.data.messages[2].text.length > 0);
  calls[0].chunk(SAMPLE_BYTES.slice(120));
  const bot = page.data.messages[2];
  assert.equal(page.data.busy, false);
  assert.equal(bot.streaming, false);
  assert.equal(bot.text, BODY.answer);
  assert.equal(bot.found, true);
  assert.equal(bot.citations.length, 1);
  assert.equal(bot.citations[0].doc_no, '锦政发〔2022〕5号');
  assert.equal(storage.qabot_session_id, 's-1');

  page.onToggleCitation({ currentTarget: { dataset: { mi: 2, ci: 0 } } });
  assert.equal(page.data.messages[2].citations[0].open, true);
  page.onToggleCitation({ currentTarget: { dataset: { mi: '2', ci: '0' } } });
  assert.equal(page.data.messages[2].citations[0].open, false);

  // second question: session id is sent, answer not found
  page.onInput({ detail: { value: '不存在的文件' } });
  page.onSend();
  assert.equal(JSON.parse(calls[1].options.data).session_id, 's-1');
  calls[1].chunk(sse('done', { answer: '未找到相关内容。', found: false, citations: [], latency_ms: 5, session_id: 's-1' }));
  assert.equal(page.data.messages[4].found, false);
  assert.equal(page.data.messages[4].citations.length, 0);

  // error, then stop
  page.onInput({ detail: { value: '再问' } });
  page.onSend();
  calls[2].succeed(429, new ArrayBuffer(0), { 'Retry-After': '9' });
  assert.match(page.data.messages[6].error, /请求过于频繁.*9 秒/);
  page.onInput({ detail: { value: '又问' } });
  page.onSend();
  calls[3].chunk(sse('delta', { text: '一半' }));
  page.onStop();
  assert.equal(calls[3].aborted, true);
  assert.equal(page.data.busy, false);
  assert.equal(page.data.messages[8].stopped, true);
  page.onNewChat();
  assert.equal(page.data.messages.length, 1);
  assert.equal(storage.qabot_session_id, undefined);
  page.onUnload();
});

/* ------------------------------------------------------------------ */
/* follow-up context (any server replica can answer a follow-up)       */
/* ------------------------------------------------------------------ */

const { createConversation } = qabot;
const CTX1 = 'c1.eyJhIjoxfQ.c2lnbmF0dXJlLW9uZQ';
const CTX2 = 'c1.eyJiIjoyfQ.c2lnbmF0dXJlLXR3bw';

test('ask/askStream: a context option is sent as body.context; empty or non-string is left out', () => {
  const calls = installWx();
  ask({ baseUrl: BASE, question: 'q', context: CTX1 });
  askStream({ baseUrl: BASE, question: 'q', context: CTX1, sessionId: 's' }, {});
  ask({ baseUrl: BASE, question: 'q', context: '' });
  askStream({ baseUrl: BASE, question: 'q', context: null }, {});
  ask({ baseUrl: BASE, question: 'q', context: 42 });
  const bodies = calls.map((c) => JSON.parse(c.options.data));
  assert.deepEqual(bodies[0], { question: 'q', context: CTX1 });
  assert.deepEqual(bodies[1], { question: 'q', session_id: 's', context: CTX1 });
  for (const b of bodies.slice(2)) assert.equal('context' in b, false);
});

test('conversation: keeps the context of each streamed reply and sends it with the next question', () => {
  const calls = installWx();
  const changes = [];
  const conv = createConversation({ baseUrl: BASE, topK: 3, onChange: (s) => changes.push(s) });
  const r1 = collector();
  conv.askStream({ question: '哪个单位牵头农村寄递物流体系建设？' }, r1.handlers);
  assert.deepEqual(JSON.parse(calls[0].options.data), { question: '哪个单位牵头农村寄递物流体系建设？', top_k: 3 });
  calls[0].chunk(sse('delta', { text: '市邮政管理局牵头' }) + sse('done', { ...BODY, session_id: 's-9', context: CTX1 }));
  assert.equal(r1.done.context, CTX1); // the caller's handler still gets the body
  assert.deepEqual(conv.state(), { sessionId: 's-9', context: CTX1 });
  assert.deepEqual(changes, [{ sessionId: 's-9', context: CTX1 }]);

  const r2 = collector();
  conv.askStream({ question: '那冷链寄递呢？' }, r2.handlers);
  assert.deepEqual(JSON.parse(calls[1].options.data), { question: '那冷链寄递呢？', top_k: 3, session_id: 's-9', context: CTX1 });
  calls[1].chunk(sse('done', { ...BODY, session_id: 's-9', context: CTX2 }));
  assert.equal(conv.state().context, CTX2);

  // a failed request keeps the context; a reply with context null (nothing to follow up on) clears it
  conv.askStream({ question: '再问' }, collector().handlers);
  calls[2].succeed(429, new ArrayBuffer(0), { 'Retry-After': '3' });
  assert.equal(conv.state().context, CTX2);
  conv.askStream({ question: '又问' }, collector().handlers);
  assert.equal(JSON.parse(calls[3].options.data).context, CTX2);
  calls[3].chunk(sse('done', { ...BODY, session_id: 's-9', context: null }));
  assert.deepEqual(conv.state(), { sessionId: 's-9', context: '' });
  conv.askStream({ question: '还问' }, collector().handlers);
  assert.equal('context' in JSON.parse(calls[4].options.data), false);
  assert.equal(changes.length, 3);
});

test('conversation: ask() keeps the context; a server without context leaves it as it was', async () => {
  const calls = installWx();
  const conv = createConversation({ baseUrl: BASE });
  const p1 = conv.ask({ question: 'q1' });
  calls[0].succeed(200, { ...BODY, context: CTX1 }, {});
  assert.equal((await p1).context, CTX1);
  const p2 = conv.ask({ question: 'q2' });
  assert.deepEqual(JSON.parse(calls[1].options.data), { question: 'q2', session_id: 's-1', context: CTX1 });
  calls[1].succeed(200, BODY, {}); // an older server: no context field
  await p2;
  assert.equal(conv.state().context, CTX1);
  const p3 = conv.ask({ question: 'q3' });
  calls[2].failWith('request:fail timeout');
  await assert.rejects(p3, (e) => e.code === 'timeout');
  assert.equal(conv.state().context, CTX1);
});

test('conversation: reset() forgets session and context; a late reply to an older request is ignored', async () => {
  const calls = installWx();
  const changes = [];
  const conv = createConversation({ baseUrl: BASE, sessionId: 'stored', context: CTX1, onChange: (s) => changes.push(s) });
  const late = conv.ask({ question: 'q1' });
  assert.deepEqual(JSON.parse(calls[0].options.data), { question: 'q1', session_id: 'stored', context: CTX1 });
  conv.reset();
  assert.deepEqual(conv.state(), { sessionId: '', context: '' });
  assert.deepEqual(changes, [{ sessionId: '', context: '' }]);
  calls[0].succeed(200, { ...BODY, context: CTX2 }, {});
  await late;
  assert.deepEqual(conv.state(), { sessionId: '', context: '' });
  conv.askStream({ question: 'q2' }, collector().handlers);
  assert.deepEqual(JSON.parse(calls[1].options.data), { question: 'q2' });
  conv.reset(); // nothing to forget: no change reported
  assert.equal(changes.length, 1);
});

test('chat page: sends the context of the previous reply, stores it, clears it on a new conversation', () => {
  const calls = installWx();
  const storage = { qabot_session_id: 's-old', qabot_context: CTX1 };
  Object.assign(globalThis.wx, {
    getStorageSync: (k) => storage[k],
    setStorageSync: (k, v) => { storage[k] = v; },
    removeStorageSync: (k) => { delete storage[k]; }
  });
  const page = loadPage();
  page.onLoad();
  page.onInput({ detail: { value: '那冷链寄递呢？' } });
  page.onSend();
  assert.deepEqual(JSON.parse(calls[0].options.data), { question: '那冷链寄递呢？', session_id: 's-old', context: CTX1 });
  calls[0].chunk(sse('done', { ...BODY, session_id: 's-old', context: CTX2 }));
  assert.equal(storage.qabot_context, CTX2);
  page.onInput({ detail: { value: '那末端网点呢？' } });
  page.onSend();
  assert.equal(JSON.parse(calls[1].options.data).context, CTX2);
  calls[1].chunk(sse('done', { ...BODY, session_id: 's-old', context: CTX1 }));
  page.onNewChat();
  assert.equal(storage.qabot_context, undefined);
  assert.equal(storage.qabot_session_id, undefined);
  page.onInput({ detail: { value: '新问题' } });
  page.onSend();
  assert.deepEqual(JSON.parse(calls[2].options.data), { question: '新问题' });
  page.onUnload();
});
