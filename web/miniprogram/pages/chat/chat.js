const qabot = require('../../lib/qabot.js');
const config = require('../../config.js');

const SESSION_KEY = 'qabot_session_id';
const CONTEXT_KEY = 'qabot_context'; // signed follow-up context of the latest reply (any server replica reads it)
const FLUSH_MS = 80; // throttle setData while streaming

const WELCOME = '您好！我可以回答有关政府公报的问题。每条回答都会列出所引用的文件（标题、文号、条款），点按即可查看条文原文。';

function errorText(err) {
  let text = (err && err.message) || '出错了，请稍后再试';
  if (err && typeof err.retryAfter === 'number' && err.retryAfter > 0) {
    text += '（约 ' + err.retryAfter + ' 秒后可重试）';
  }
  return text;
}

// The clause cut around the sentence that answers (`quote`, shown highlighted); the whole clause when there is none.
function clauseParts(text, quote) {
  const at = quote ? text.indexOf(quote) : -1;
  if (at === -1) return { before: text, quote: '', after: '' };
  return { before: text.slice(0, at), quote: quote, after: text.slice(at + quote.length) };
}

function toCitations(list) {
  if (!Array.isArray(list)) return [];
  return list.map(function (c, i) {
    c = c || {};
    const text = c.text || '';
    return Object.assign({
      key: (c.chunk_id || c.doc_id || 'c') + '-' + i,
      title: c.title || '',
      doc_no: c.doc_no || '',
      section: c.section || '',
      text: text,
      open: false
    }, clauseParts(text, typeof c.quote === 'string' ? c.quote : ''));
  });
}

// What the bubble shows once the reply is complete: the statement with a marker [1] for the first citation (the
// long bracketed source repeats it), or the answer as it came.
function replyText(body, streamed) {
  const answer = (body && body.answer) || streamed;
  if (!body || body.found === false || typeof body.statement !== 'string' || !body.statement) return answer;
  return /\[\d+\]/.test(body.statement) ? body.statement : body.statement + ' [1]';
}

Page({
  data: {
    messages: [],
    input: '',
    canSend: false,
    busy: false,
    scrollTop: 0
  },

  onLoad() {
    this._seq = 0;
    this._gen = 0;        // request generation; callbacks of older requests are ignored
    this._task = null;    // askStream controller
    this._timer = null;
    this._botIndex = -1;
    this._text = '';
    this._scroll = 0;
    let sessionId = '';
    let context = '';
    try {
      sessionId = wx.getStorageSync(SESSION_KEY) || '';
      context = wx.getStorageSync(CONTEXT_KEY) || '';
    } catch (e) { /* no storage: start afresh */ }
    // Keeps the session id and the context of each reply, sends them with the next question.
    this._conversation = qabot.createConversation({
      sessionId: sessionId,
      context: context,
      onChange: (state) => {
        try {
          if (state.sessionId) wx.setStorageSync(SESSION_KEY, state.sessionId);
          else wx.removeStorageSync(SESSION_KEY);
          if (state.context) wx.setStorageSync(CONTEXT_KEY, state.context);
          else wx.removeStorageSync(CONTEXT_KEY);
        } catch (e) { /* ignore */ }
      }
    });
    this.setData({ messages: [this._newMsg('bot', WELCOME)] });
  },

  onUnload() {
    this._cancel();
  },

  _newMsg(role, text) {
    this._seq += 1;
    return {
      id: 'm' + this._seq,
      role: role,
      text: text || '',
      streaming: false,
      found: null,
      clarify: false,
      citations: [],
      suggestions: [],
      error: '',
      stopped: false
    };
  },

  _nextScroll() {
    // scroll-top only scrolls when the value changes; clamp happens in the view
    this._scroll = (this._scroll + 1) % 1000;
    return 10000000 + this._scroll;
  },

  onInput(e) {
    const value = e.detail.value;
    this.setData({ input: value, canSend: !!value.trim() });
  },

  onSend() {
    this._ask((this.data.input || '').trim());
  },

  _ask(question) {
    if (!question || this.data.busy) return;
    this._question = question;

    const n = this.data.messages.length;
    const user = this._newMsg('user', question);
    const bot = this._newMsg('bot', '');
    bot.streaming = true;
    this._botIndex = n + 1;
    this._text = '';
    this._gen += 1;
    const gen = this._gen;

    this.setData({
      ['messages[' + n + ']']: user,
      ['messages[' + (n + 1) + ']']: bot,
      input: '',
      canSend: false,
      busy: true,
      scrollTop: this._nextScroll()
    });

    const options = {
      baseUrl: config.baseUrl,
      apiKey: config.apiKey,
      question: question,
      topK: config.topK,
      timeout: config.timeout
    };

    if (config.stream === false) {
      this._conversation.ask(options).then(
        (body) => { if (gen === this._gen) this._finish(body); },
        (err) => { if (gen === this._gen) this._fail(err); }
      );
      return;
    }

    this._task = this._conversation.askStream(options, {
      onDelta: (text, full) => {
        if (gen !== this._gen) return;
        this._text = full;
        this._scheduleFlush();
      },
      onDone: (body) => {
        if (gen === this._gen) this._finish(body);
      },
      onError: (err) => {
        if (gen === this._gen) this._fail(err);
      }
    });
  },

  _scheduleFlush() {
    if (this._timer) return;
    this._timer = setTimeout(() => {
      this._timer = null;
      if (this._botIndex < 0) return;
      this.setData({
        ['messages[' + this._botIndex + '].text']: this._text,
        scrollTop: this._nextScroll()
      });
    }, FLUSH_MS);
  },

  _clearTimer() {
    if (this._timer) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  },

  _settle(patch) {
    this._clearTimer();
    const i = this._botIndex;
    if (i < 0) return;
    const msg = Object.assign({}, this.data.messages[i], { streaming: false }, patch);
    this.setData({
      ['messages[' + i + ']']: msg,
      busy: false,
      scrollTop: this._nextScroll()
    });
    this._botIndex = -1;
    this._task = null;
  },

  _finish(body) {
    const suggestions = body && Array.isArray(body.suggestions) ? body.suggestions.filter((q) => typeof q === 'string' && q) : [];
    this._settle({
      text: replyText(body, this._text),
      found: !(body && body.found === false),
      clarify: !!(body && body.clarify),
      citations: toCitations(body && body.citations),
      suggestions: suggestions
    });
  },

  _fail(err) {
    this._settle({ text: this._text, error: errorText(err) });
    // The question goes back into the box (unless another is being typed), so it need not be typed again.
    if (!(this.data.input || '').trim() && this._question) this.setData({ input: this._question, canSend: true });
  },

  _cancel() {
    this._gen += 1;
    if (this._task) {
      this._task.abort();
      this._task = null;
    }
    this._clearTimer();
  },

  onStop() {
    if (!this.data.busy) return;
    const text = this._text;
    this._cancel();
    this._settle({ text: text, stopped: true });
  },

  onToggleCitation(e) {
    const mi = Number(e.currentTarget.dataset.mi);
    const ci = Number(e.currentTarget.dataset.ci);
    const msg = this.data.messages[mi];
    if (!msg || !msg.citations || !msg.citations[ci]) return;
    this.setData({
      ['messages[' + mi + '].citations[' + ci + '].open']: !msg.citations[ci].open
    });
  },

  onAskSuggestion(e) {
    const question = e.currentTarget.dataset.q;
    if (typeof question === 'string') this._ask(question);
  },

  onCopyCitation(e) {
    const mi = Number(e.currentTarget.dataset.mi);
    const ci = Number(e.currentTarget.dataset.ci);
    const msg = this.data.messages[mi];
    const c = msg && msg.citations && msg.citations[ci];
    if (!c) return;
    const head = [c.title, c.doc_no, c.section].filter(Boolean).join(' ');
    wx.setClipboardData({ data: head + '\n' + c.text });
  },

  onOpenUnits() {
    wx.navigateTo({ url: '/pages/units/units' });
  },

  onNewChat() {
    this._cancel();
    this._botIndex = -1;
    this._text = '';
    this._conversation.reset();
    this.setData({
      messages: [this._newMsg('bot', WELCOME)],
      busy: false,
      scrollTop: 0
    });
  }
});
