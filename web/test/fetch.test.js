'use strict';
// The one client over fetch(), as the chat page runs it: no `wx`, relative URLs, real Response objects with
// streamed bodies (Node's own fetch classes). The client's parsing, errors and conversation are tested over wx.request
// in web/miniprogram/test/qabot.test.js; both load the same code (web/test/sync-client.test.js keeps the copy in step).
// Run from the repository root:  node --test web/test/
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const qabot = require(path.join(__dirname, '..', 'miniprogram', 'lib', 'qabot.js'));

const sse = (event, obj) => 'event: ' + event + '\ndata: ' + JSON.stringify(obj) + '\n\n';
const BODY = {
  answer: '市邮政管理局牵头。（《测试市快递进村实施方案》）',
  found: true,
  citations: [{ doc_no: '测政办发〔2023〕5号', title: '测试市快递进村实施方案', section: '二、重点任务', text: '……', chunk_id: 'c1', score: 0.9 }],
  latency_ms: 3,
  session_id: 's-1'
};
const STREAM = sse('delta', { text: '市邮政管理局' }) + sse('delta', { text: '牵头。' }) +
  sse('delta', { text: '（《测试市快递进村实施方案》）', part: 'source' }) + sse('done', BODY);

/** A body that hands out `pieces` (strings or byte arrays) one read at a time. */
function streamOf(pieces) {
  const queue = pieces.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p));
  return new ReadableStream({
    pull(controller) {
      if (queue.length) controller.enqueue(queue.shift());
      else controller.close();
    }
  });
}

/** globalThis.fetch answering each call with respond(url, init), recording the calls. */
function installFetch(respond) {
  const calls = [];
  delete globalThis.wx;
  globalThis.fetch = (url, init) => {
    calls.push({ url, init, body: init.body === undefined ? undefined : JSON.parse(init.body) });
    return Promise.resolve().then(() => respond(url, init, calls.length - 1));
  };
  qabot._resetCapabilities();
  return calls;
}

const eventStream = (pieces) => new Response(streamOf(pieces), { headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } });
const json = (status, obj) => new Response(obj === undefined ? '' : JSON.stringify(obj), { status, headers: { 'Content-Type': 'application/json' } });

/** askStream as a promise of what the handlers saw. */
function streamed(options) {
  return new Promise((resolve) => {
    const seen = { deltas: [], parts: [], full: '' };
    qabot.askStream(options, {
      onDelta: (text, full, part) => { seen.deltas.push(text); seen.parts.push(part); seen.full = full; },
      onDone: (body) => resolve({ ...seen, body }),
      onError: (error) => resolve({ ...seen, error })
    });
  });
}

test('a page streams from its own origin: relative URL, JSON body, deltas with their part, then the body', async () => {
  const calls = installFetch(() => eventStream([STREAM]));
  const seen = await streamed({ question: '哪个单位牵头？', sessionId: 's-0' });
  assert.equal(calls[0].url, '/api/ask/stream');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.headers.Accept, 'text/event-stream');
  assert.deepEqual(calls[0].body, { question: '哪个单位牵头？', session_id: 's-0' }); // no top_k: the server's default
  assert.deepEqual(seen.deltas, ['市邮政管理局', '牵头。', '（《测试市快递进村实施方案》）']);
  assert.deepEqual(seen.parts, [null, null, 'source']);
  assert.deepEqual(seen.body, BODY);
});

test('a character split across reads arrives whole', async () => {
  const bytes = new TextEncoder().encode(STREAM);
  installFetch(() => eventStream(Array.from(bytes, (b) => new Uint8Array([b]))));
  const seen = await streamed({ question: 'q' });
  assert.equal(seen.full, '市邮政管理局牵头。（《测试市快递进村实施方案》）');
  assert.ok(!seen.full.includes('\ufffd'));
  assert.deepEqual(seen.body, BODY);
});

test('a stream route that is missing (404) is asked again at /api/ask, once', async () => {
  const calls = installFetch((url) => (url === '/api/ask/stream' ? json(404, { detail: 'Not Found' }) : json(200, BODY)));
  const seen = await streamed({ question: 'q' });
  assert.deepEqual(calls.map((c) => c.url), ['/api/ask/stream', '/api/ask']);
  assert.deepEqual(seen.body, BODY);
});

test('a refusal keeps the server\'s message; only failures that asking again can cure are retryable', async () => {
  installFetch(() => json(503, { error: { code: 'index_loading', message: '索引正在加载，请稍后再试' } }));
  let seen = await streamed({ question: 'q' });
  assert.equal(seen.error.message, '索引正在加载，请稍后再试');
  assert.equal(seen.error.status, 503);
  assert.equal(seen.error.retryable, true);
  assert.ok(seen.error instanceof qabot.ApiError && seen.error instanceof Error);

  installFetch(() => json(422, { error: { code: 'bad_question', message: '问题不能超过 500 个字' } }));
  seen = await streamed({ question: 'q' });
  assert.equal(seen.error.code, 'bad_question');
  assert.equal(seen.error.retryable, false);

  installFetch(() => eventStream([sse('delta', { text: '部分' }) + sse('error', { error: { code: 'bad_question', message: '问题有误' } })]));
  seen = await streamed({ question: 'q' });
  assert.equal(seen.error.retryable, false); // inside a 200 stream: judged by its code
});

test('a stream cut short fails as incomplete with what was said; the network failing is a network error', async () => {
  installFetch(() => eventStream([sse('delta', { text: '市邮政' })]));
  let seen = await streamed({ question: 'q' });
  assert.equal(seen.error.code, 'stream_incomplete');
  assert.equal(seen.full, '市邮政');
  assert.equal(seen.error.retryable, true);

  installFetch(() => Promise.reject(new TypeError('Failed to fetch')));
  seen = await streamed({ question: 'q' });
  assert.equal(seen.error.code, 'network_error');
  assert.equal(seen.error.message, '网络连接失败');
});

test('abort() cancels the fetch and no handler fires afterwards', async () => {
  let signal;
  installFetch((url, init) => {
    signal = init.signal;
    return new Promise(() => {}); // never answers
  });
  const events = [];
  const request = qabot.askStream({ question: 'q' }, { onDone: () => events.push('done'), onError: () => events.push('error') });
  await new Promise((resolve) => setImmediate(resolve));
  request.abort();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(signal.aborted, true);
  assert.deepEqual(events, []);
});

test('a timeout cancels the fetch and says so', async () => {
  let signal;
  installFetch((url, init) => {
    signal = init.signal;
    return new Promise(() => {});
  });
  const seen = await streamed({ question: 'q', timeout: 20 });
  assert.equal(seen.error.code, 'timeout');
  assert.equal(signal.aborted, true);
});

test('getJson and postJson: the body, nothing for an empty answer, the error body with its closest names', async () => {
  const calls = installFetch((url) => {
    if (url === '/api/examples') return json(200, { examples: ['哪个单位牵头？'] });
    if (url === '/api/feedback') return json(200);
    if (url === '/api/broken') return new Response('<html>', { status: 200 });
    return json(404, { error: { code: 'unknown_unit', message: '没有这个单位', closest: ['市邮政管理局', 7] } });
  });
  assert.deepEqual(await qabot.getJson('/api/examples'), { examples: ['哪个单位牵头？'] });
  assert.equal(calls[0].init.method, 'GET');
  assert.equal('Content-Type' in calls[0].init.headers, false);
  assert.equal(await qabot.postJson('/api/feedback', { rating: 1 }), null);
  assert.deepEqual(calls[1].body, { rating: 1 });
  await assert.rejects(qabot.getJson('/api/broken'), { code: 'bad_response' });
  await assert.rejects(qabot.getJson('/api/units/x/tasks'), (err) => {
    assert.equal(err.message, '没有这个单位');
    assert.equal(err.status, 404);
    assert.deepEqual(err.closest, ['市邮政管理局']);
    return true;
  });
});
