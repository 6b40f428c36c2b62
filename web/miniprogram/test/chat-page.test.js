'use strict';
// The chat page itself, rendered from its WXML/WXSS/JS by miniprogram-simulate (jsdom-based, made for mini-program
// unit tests): what a user sees — the streamed reply, the citation list and its expansion, the not-found bubble, the
// error message. Only `wx.request` (the network edge) and storage are faked. Run from the repository root:
//   node --test web/miniprogram/test/        (needs `npm ci` for miniprogram-simulate and jsdom)
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

let simulate;
try {
  const { JSDOM } = require('jsdom');
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true });
  // jsdom's DOM as the globals miniprogram-simulate expects (Node's own Event would be refused by jsdom's elements).
  for (const name of ['window', 'document', 'navigator', 'Node', 'Element', 'HTMLElement', 'Event', 'CustomEvent', 'getComputedStyle']) {
    const value = name === 'window' ? dom.window : dom.window[name];
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  simulate = require('miniprogram-simulate');
} catch (err) {
  simulate = null;
}
const skip = simulate ? false : 'miniprogram-simulate and jsdom are not installed (run `make web-deps`)';

const PAGE = path.join(__dirname, '..', 'pages', 'chat', 'chat');
const enc = (s) => new Uint8Array(Buffer.from(s, 'utf8'));
const sse = (event, obj) => 'event: ' + event + '\ndata: ' + JSON.stringify(obj) + '\n\n';

const REPLY = {
  answer: '市邮政管理局牵头，各区人民政府按职责分工负责。（《测试市快递进村实施方案》测政办发〔2023〕5号，二、重点任务 > （三）规范末端网点管理）',
  found: true,
  citations: [
    {
      doc_id: '测政办发-2023-5',
      doc_no: '测政办发〔2023〕5号',
      title: '测试市快递进村实施方案',
      section: '二、重点任务 > （三）规范末端网点管理',
      text: '（三）规范末端网点管理。简化快递末端网点备案手续，全面实现网上备案。〔牵头单位：市邮政管理局。责任单位：各区人民政府。〕',
      chunk_id: '测政办发-2023-5/2.3',
      score: 0.91
    },
    {
      doc_id: '测政办发-2023-5',
      doc_no: '测政办发〔2023〕5号',
      title: '测试市快递进村实施方案',
      section: '二、重点任务 > （一）完善县乡村三级物流体系',
      text: '（一）完善县乡村三级物流体系。推动县级物流中心改造升级。',
      chunk_id: '测政办发-2023-5/2.1',
      score: 0.52
    }
  ],
  latency_ms: 12,
  session_id: 's-1',
  context: 'c1.eyJhIjoxfQ.c2ln'
};

/** Fake wx: each wx.request is recorded with a controller to push response bytes or fail; storage in a Map. */
function installWx() {
  const calls = [];
  const storage = new Map();
  globalThis.wx = {
    request(options) {
      const call = {
        options,
        chunkCbs: [],
        chunk(text) {
          const u8 = enc(text);
          const ab = new ArrayBuffer(u8.length);
          new Uint8Array(ab).set(u8);
          for (const cb of call.chunkCbs) cb({ data: ab });
        },
        finish(statusCode = 200, data = new ArrayBuffer(0), header = {}) {
          const res = { statusCode, data, header, errMsg: 'request:ok' };
          if (options.success) options.success(res);
          if (options.complete) options.complete(res);
        },
        fail(errMsg = 'request:fail') {
          if (options.fail) options.fail({ errMsg });
          if (options.complete) options.complete({ errMsg });
        }
      };
      calls.push(call);
      return {
        abort() { call.fail('request:fail abort'); },
        onHeadersReceived() {},
        onChunkReceived(cb) { call.chunkCbs.push(cb); }
      };
    },
    getStorageSync: (k) => (storage.has(k) ? storage.get(k) : ''),
    setStorageSync: (k, v) => { storage.set(k, v); },
    removeStorageSync: (k) => { storage.delete(k); },
    setClipboardData() {}
  };
  require(path.join(__dirname, '..', 'lib', 'qabot.js'))._resetCapabilities();
  return calls;
}

/** A Page definition as a component: its functions become methods, onLoad/onUnload run on attach/detach. */
function pageAsComponent(definition) {
  const methods = {};
  for (const key of Object.keys(definition)) if (typeof definition[key] === 'function') methods[key] = definition[key];
  return {
    data: JSON.parse(JSON.stringify(definition.data || {})),
    methods,
    lifetimes: {
      attached() { if (this.onLoad) this.onLoad({}); },
      detached() { if (this.onUnload) this.onUnload(); }
    }
  };
}

function renderPage() {
  globalThis.Page = (definition) => globalThis.Component(pageAsComponent(definition));
  const id = simulate.load(PAGE, 'chat-page', { compiler: 'simulate', rootPath: path.join(__dirname, '..') });
  const page = simulate.render(id);
  page.attach(document.createElement('parent-wrapper'));
  return page;
}

const texts = (page, selector) => page.querySelectorAll(selector).map((node) => node.dom.textContent.trim());
const settle = () => simulate.sleep(150); // the page flushes streamed text every 80 ms

async function ask(page, question) {
  page.querySelector('.input').dispatchEvent('input', { detail: { value: question } });
  await simulate.sleep(0);
  page.querySelector('.send').dispatchEvent('tap');
  await simulate.sleep(0);
}

test('chat page: the streamed reply appears as it comes and ends with its citations', { skip }, async () => {
  const calls = installWx();
  const page = renderPage();
  assert.match(texts(page, '.row.bot .text')[0], /政府公报/); // the welcome bubble
  await ask(page, '哪个单位牵头规范末端网点管理？');
  assert.deepEqual(texts(page, '.row.user .text'), ['哪个单位牵头规范末端网点管理？']);
  assert.match(page.querySelector('.thinking').dom.textContent, /正在检索/);
  assert.equal(JSON.parse(calls[0].options.data).question, '哪个单位牵头规范末端网点管理？');

  calls[0].chunk(sse('delta', { text: '市邮政管理局牵头，' }));
  await settle();
  assert.equal(texts(page, '.row.bot .text').pop(), '市邮政管理局牵头，');
  assert.ok(page.querySelector('.stop'), 'a stop button while the reply streams');
  calls[0].chunk(sse('delta', { text: '各区人民政府按职责分工负责。' }) + sse('done', REPLY));
  await settle();
  assert.equal(texts(page, '.row.bot .text').pop(), REPLY.answer);
  assert.equal(page.querySelector('.stop'), undefined);
  assert.deepEqual(texts(page, '.cite-title'), ['测试市快递进村实施方案', '测试市快递进村实施方案']);
  assert.match(texts(page, '.cite-sub')[0], /测政办发〔2023〕5号\s*·\s*二、重点任务 > （三）规范末端网点管理/);
  page.detach();
});

test('chat page: tapping a citation shows its clause, tapping again hides it', { skip }, async () => {
  const calls = installWx();
  const page = renderPage();
  await ask(page, '哪个单位牵头规范末端网点管理？');
  calls[0].chunk(sse('done', REPLY));
  await settle();
  assert.equal(page.querySelectorAll('.cite-text').length, 0);
  assert.deepEqual(texts(page, '.cite-toggle'), ['原文', '原文']);
  page.querySelectorAll('.cite')[1].dispatchEvent('tap');
  await simulate.sleep(0);
  assert.deepEqual(texts(page, '.cite-text'), [REPLY.citations[1].text]);
  assert.deepEqual(texts(page, '.cite-toggle'), ['原文', '收起']);
  page.querySelectorAll('.cite')[1].dispatchEvent('tap');
  await simulate.sleep(0);
  assert.equal(page.querySelectorAll('.cite-text').length, 0);
  page.detach();
});

test('chat page: a reply that found nothing is a not-found bubble with its label', { skip }, async () => {
  const calls = installWx();
  const page = renderPage();
  await ask(page, '月球基地建设由哪个单位牵头？');
  const nothing = '已收录的政府公报中没有找到能回答这个问题的内容。';
  calls[0].chunk(sse('delta', { text: nothing }) + sse('done', { answer: nothing, found: false, citations: [], latency_ms: 3, session_id: 's-2' }));
  await settle();
  const bubbles = page.querySelectorAll('.bubble.notfound');
  assert.equal(bubbles.length, 1);
  assert.match(bubbles[0].dom.textContent, /未在公报中找到依据/);
  assert.match(bubbles[0].dom.textContent, /没有找到能回答这个问题的内容/);
  assert.equal(page.querySelectorAll('.cite').length, 0);
  page.detach();
});

test('chat page: errors are shown as messages for people', { skip }, async () => {
  const calls = installWx();
  const page = renderPage();
  await ask(page, '哪个单位牵头规范末端网点管理？');
  calls[0].finish(429, new ArrayBuffer(0), { 'Retry-After': '9' });
  await settle();
  assert.match(texts(page, '.error').pop(), /请求过于频繁.*9 秒/);

  await ask(page, '再问一次');
  calls[1].fail('request:fail timeout');
  await settle();
  const shown = texts(page, '.error').pop();
  assert.match(shown, /网络|超时/);
  assert.doesNotMatch(shown, /request:fail|[a-z]+_[a-z]+/); // no internal wording or codes
  assert.equal(page.querySelector('.send') !== undefined, true); // can ask again
  page.detach();
});

const SHOWN = Object.assign({}, REPLY, {
  statement: '市邮政管理局牵头，各区人民政府按职责分工负责。',
  source: '《测试市快递进村实施方案》测政办发〔2023〕5号，二、重点任务 > （三）规范末端网点管理',
  suggestions: ['规范末端网点管理的完成时限是什么？', '测政办发〔2023〕5号是什么时候印发的？'],
  citations: [Object.assign({}, REPLY.citations[0], { quote: '〔牵头单位：市邮政管理局。责任单位：各区人民政府。' }), REPLY.citations[1]]
});

test('chat page: the reply ends in a marker, not the long source; the clause opens at its highlighted sentence', { skip }, async () => {
  const calls = installWx();
  const page = renderPage();
  await ask(page, '哪个单位牵头规范末端网点管理？');
  calls[0].chunk(sse('done', SHOWN));
  await settle();
  assert.equal(texts(page, '.row.bot .text').pop(), '市邮政管理局牵头，各区人民政府按职责分工负责。 [1]');
  page.querySelectorAll('.cite')[0].dispatchEvent('tap');
  await simulate.sleep(0);
  assert.deepEqual(texts(page, '.cite-text .quote'), ['〔牵头单位：市邮政管理局。责任单位：各区人民政府。']);
  assert.equal(texts(page, '.cite-text')[0], REPLY.citations[0].text); // the whole clause, one sentence highlighted
  page.detach();
});

test('chat page: a suggested next question is asked with a tap; only the newest reply offers them', { skip }, async () => {
  const calls = installWx();
  const page = renderPage();
  await ask(page, '哪个单位牵头规范末端网点管理？');
  calls[0].chunk(sse('done', SHOWN));
  await settle();
  assert.deepEqual(texts(page, '.suggestion'), SHOWN.suggestions);
  page.querySelectorAll('.suggestion')[0].dispatchEvent('tap');
  await simulate.sleep(0);
  assert.equal(JSON.parse(calls[1].options.data).question, '规范末端网点管理的完成时限是什么？');
  assert.deepEqual(texts(page, '.row.user .text').pop(), '规范末端网点管理的完成时限是什么？');
  calls[1].chunk(sse('done', { answer: '完成时限：2023年12月底前。', found: true, citations: [], latency_ms: 2, session_id: 's-1', suggestions: [] }));
  await settle();
  assert.equal(page.querySelectorAll('.suggestion').length, 0);
  page.detach();
});

test('chat page: a follow-up asked back is a plain bubble, and a failed question is back in the box', { skip }, async () => {
  const calls = installWx();
  const page = renderPage();
  await ask(page, '那完成时限呢？');
  const back = '请问您指的是哪项工作？请把工作名称一起说出来，例如“某项工作由哪个单位牵头？”';
  calls[0].chunk(sse('done', { answer: back, statement: back, found: false, clarify: true, citations: [], latency_ms: 1, session_id: 's-3' }));
  await settle();
  assert.equal(texts(page, '.row.bot .text').pop(), back);
  assert.equal(page.querySelectorAll('.bubble.notfound').length, 0);
  assert.equal(page.querySelectorAll('.tag').length, 0);

  await ask(page, '哪个单位牵头规范末端网点管理？');
  calls[1].fail('request:fail');
  await settle();
  // The simulator renders <input> without its value: read what the box is bound to.
  assert.equal(page.data.input, '哪个单位牵头规范末端网点管理？');
  assert.equal(page.data.canSend, true);
  page.detach();
});
