// The conversation: the composer (counter against the server's limit), sending and streaming, scrolling that keeps
// a reply's first line in view, editing and re-asking, and restoring the stored conversation after a reload.

import { h, clear, icon, ICONS, prefersFinePointer } from "./dom.js";
import { ask, getJSON, ApiError } from "./api.js";
import { BotMessage } from "./reply.js";

const MAX_EXAMPLES = 6;
const SCROLL_MARGIN = 12; // px kept above the question when a reply is scrolled into view
const PHONE = "(max-width: 640px)";

function charCount(text) {
  return Array.from(text.trim()).length; // code points, as the server counts
}

export class Chat {
  /**
   * @param {object} els  { scroller, conversation, emptyState, examples, examplesBlock, form, input, send, counter,
   *                        note, editBanner, editCancel }
   * @param {ConversationStore} store
   * @param {object} opts { onOpenCitation(citation, el), onChange() — the list of conversations changed }
   */
  constructor(els, store, opts) {
    this.els = els;
    this.store = store;
    this.opts = opts || {};
    this.busy = false;
    this.controller = null;
    this.examples = [];
    this.limit = null; // the server's max_question_chars, from /api/examples
    this.editing = null; // the stored turn being edited and re-asked
    this.follow = true; // scroll along with the reply until the reader scrolls by hand
    this.bindComposer();
    this.bindScroller();
    this.loadExamples();
    this.restore();
  }

  // ---------------------------------------------------------------- composer

  bindComposer() {
    const { form, input, editCancel } = this.els;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submitInput();
    });
    input.addEventListener("keydown", (e) => {
      // Enter sends, Shift+Enter inserts a newline. Never send while an IME
      // (Chinese input method) is composing: its Enter confirms the candidate.
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        this.submitInput();
      } else if (e.key === "Escape" && this.editing) {
        this.cancelEdit();
      }
    });
    input.addEventListener("input", () => {
      this.autosize();
      this.updateCounter();
      this.setNote("");
    });
    editCancel.addEventListener("click", () => this.cancelEdit());
    // A shorter placeholder on narrow screens.
    if (window.matchMedia) {
      const mq = window.matchMedia("(max-width: 480px)");
      const long = input.getAttribute("placeholder") || "";
      const apply = () => input.setAttribute("placeholder", mq.matches ? "请输入您的问题" : long);
      apply();
      if (mq.addEventListener) mq.addEventListener("change", apply);
      else if (mq.addListener) mq.addListener(apply);
    }
    this.autosize();
  }

  autosize() {
    const { input } = this.els;
    if (!input.value) {
      // Empty: let CSS decide (a long placeholder must not grow the box).
      input.style.height = "";
      input.classList.remove("is-scrolling");
      return;
    }
    // CSSOM writes are allowed under style-src 'self' (only style attributes in markup are not).
    input.style.height = "auto";
    const max = 160;
    const next = Math.min(input.scrollHeight + 2, max);
    input.style.height = next + "px";
    input.classList.toggle("is-scrolling", input.scrollHeight + 2 > max);
  }

  updateCounter() {
    const { counter, input } = this.els;
    if (!this.limit) {
      counter.hidden = true;
      return;
    }
    const n = charCount(input.value);
    counter.hidden = false;
    counter.textContent = `${n} / ${this.limit}`;
    counter.classList.toggle("over", n > this.limit);
  }

  setNote(text) {
    const { note } = this.els;
    note.textContent = text;
    note.hidden = !text;
  }

  submitInput() {
    const { input } = this.els;
    const q = input.value.trim();
    if (!q) {
      input.focus();
      return;
    }
    if (this.busy) return;
    if (this.limit && charCount(q) > this.limit) {
      this.setNote(`问题有 ${charCount(q)} 字，超出了 ${this.limit} 字的限制，请精简后再发送。`);
      input.focus();
      return;
    }
    input.value = "";
    this.autosize();
    this.updateCounter();
    this.send(q);
  }

  /** Put a question back into the box (after an error), unless the user has started typing another. */
  keepQuestion(question) {
    const { input } = this.els;
    if (input.value.trim()) return;
    input.value = question;
    this.autosize();
    this.updateCounter();
  }

  setBusy(busy) {
    this.busy = busy;
    this.els.send.disabled = busy;
    this.els.send.setAttribute("aria-busy", busy ? "true" : "false");
    if (busy) this.els.conversation.setAttribute("aria-busy", "true");
    else this.els.conversation.removeAttribute("aria-busy");
  }

  // ---------------------------------------------------------------- examples and the limit

  async loadExamples() {
    try {
      const body = await getJSON("/api/examples");
      const list = body && Array.isArray(body.examples) ? body.examples : [];
      this.examples = list.filter((x) => typeof x === "string" && x.trim()).slice(0, MAX_EXAMPLES);
      if (body && Number.isInteger(body.max_question_chars) && body.max_question_chars > 0) this.limit = body.max_question_chars;
    } catch (_) {
      this.examples = [];
    }
    this.renderExamples();
    this.updateCounter();
  }

  renderExamples() {
    const { examples, examplesBlock } = this.els;
    clear(examples);
    for (const text of this.examples) {
      examples.appendChild(
        h("li", null, h("button", { type: "button", class: "example-chip", on: { click: () => this.send(text) } }, text))
      );
    }
    examplesBlock.hidden = this.examples.length === 0;
  }

  // ---------------------------------------------------------------- conversations

  conversation() {
    return this.store.current();
  }

  phone() {
    return typeof window.matchMedia === "function" && window.matchMedia(PHONE).matches;
  }

  updateEmptyState() {
    this.els.emptyState.hidden = this.els.conversation.childElementCount !== 0;
  }

  /** Show the stored current conversation (after a reload, or when picked from the list). */
  restore() {
    clear(this.els.conversation);
    const conversation = this.store.current();
    let last = null;
    if (conversation) {
      for (const turn of conversation.turns) {
        if (!turn.reply) continue;
        last = this.appendTurn(turn);
        last.finish(turn.reply);
      }
    }
    this.updateEmptyState();
    this.els.scroller.scrollTop = 0;
    if (last) {
      this.follow = true;
      this.keepInView(last.el); // the newest exchange, from its question on
    }
  }

  stop() {
    if (this.controller) this.controller.abort();
    this.controller = null;
    this.setBusy(false);
  }

  /** 新对话: an empty conversation (the examples show again); the earlier one stays in the list. */
  reset() {
    this.stop();
    this.cancelEdit();
    this.store.start();
    clear(this.els.conversation);
    this.els.input.value = "";
    this.autosize();
    this.updateCounter();
    this.setNote("");
    this.updateEmptyState();
    this.els.scroller.scrollTop = 0;
    if (location.hash && location.hash !== "#/" && location.hash !== "#") location.hash = "#/";
    if (prefersFinePointer()) this.els.input.focus();
    this.changed();
  }

  open(id) {
    if (!this.store.open(id)) return;
    this.stop();
    this.cancelEdit();
    this.restore();
    this.changed();
  }

  changed() {
    if (this.opts.onChange) this.opts.onChange();
  }

  saveFeedback() {
    const conversation = this.store.current();
    if (conversation) this.store.save(conversation);
  }

  // ---------------------------------------------------------------- editing

  edit(turn) {
    if (this.busy) return;
    this.editing = turn;
    const { input, editBanner } = this.els;
    input.value = turn.question;
    editBanner.hidden = false;
    this.autosize();
    this.updateCounter();
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  cancelEdit() {
    if (!this.editing) return;
    this.editing = null;
    this.els.editBanner.hidden = true;
    this.els.input.value = "";
    this.autosize();
    this.updateCounter();
  }

  /** Drop the edited turn and everything after it, going back to the context it was asked in. */
  truncateAt(turn) {
    const conversation = this.store.current();
    const at = conversation ? conversation.turns.indexOf(turn) : -1;
    this.editing = null;
    this.els.editBanner.hidden = true;
    if (at === -1) return;
    conversation.turns = conversation.turns.slice(0, at);
    conversation.context = turn.sent_context || null;
    this.store.save(conversation);
    const messages = Array.from(this.els.conversation.children);
    const first = messages.find((el) => el.qaTurn === turn);
    if (first) messages.slice(messages.indexOf(first)).forEach((el) => el.remove());
  }

  // ---------------------------------------------------------------- asking

  appendTurn(turn) {
    const edit = h(
      "button",
      { type: "button", class: "icon-btn edit-btn", "aria-label": "修改问题并重新提问", title: "修改并重新提问" },
      icon(ICONS.edit)
    );
    edit.addEventListener("click", () => this.edit(turn));
    const user = h(
      "div",
      { class: "msg msg-user" },
      h("span", { class: "visually-hidden" }, "问："),
      h("div", { class: "bubble" }, turn.question),
      h("div", { class: "user-actions" }, edit)
    );
    user.qaTurn = turn;
    const bot = new BotMessage(this, turn);
    this.els.conversation.appendChild(user);
    this.els.conversation.appendChild(bot.el);
    return bot;
  }

  async send(question) {
    const q = String(question || "").trim();
    if (!q || this.busy) return;
    if (this.editing) this.truncateAt(this.editing);
    const conversation = this.store.ensureCurrent();
    const turn = { question: q, sent_context: conversation.context || null, reply: null, feedback: null };
    const bot = this.appendTurn(turn);
    this.updateEmptyState();
    this.follow = true;
    this.keepInView(bot.el);

    this.setBusy(true);
    const controller = new AbortController();
    this.controller = controller;
    try {
      const payload = { question: q, session_id: conversation.session_id }; // top_k: the server's default
      if (conversation.context) payload.context = conversation.context; // signed: any replica can continue from it
      const body = await ask(
        payload,
        {
          onDelta: (piece, part) => {
            bot.appendDelta(piece, part);
            this.keepInView(bot.el);
          },
        },
        controller.signal
      );
      if (controller.signal.aborted) return;
      bot.finish(body);
      this.keepInView(bot.el);
      // The reply, the session and the context are stored together: a reload restores all of them or none.
      turn.reply = bot.reply;
      if (body && typeof body.session_id === "string" && body.session_id) conversation.session_id = body.session_id;
      if (body && "context" in body) conversation.context = typeof body.context === "string" ? body.context : null;
      conversation.turns.push(turn);
      this.store.save(conversation);
      this.changed();
    } catch (err) {
      if (controller.signal.aborted || (err && err.name === "AbortError")) return;
      const e = err instanceof ApiError ? err : new ApiError("出现未知错误，请稍后重试。", "client_error", 0);
      bot.fail(e);
      this.keepInView(bot.el);
      this.keepQuestion(q);
    } finally {
      if (this.controller === controller) {
        this.controller = null;
        this.setBusy(false);
      }
    }
  }

  retry(bot) {
    if (this.busy) return;
    const user = bot.el.previousElementSibling;
    if (user && user.classList.contains("msg-user")) user.remove();
    bot.el.remove();
    if (this.els.input.value.trim() === bot.turn.question) {
      this.els.input.value = "";
      this.autosize();
      this.updateCounter();
    }
    this.send(bot.turn.question);
  }

  openCitation(citation, el) {
    if (this.opts.onOpenCitation) this.opts.onOpenCitation(citation, el);
  }

  // ---------------------------------------------------------------- scrolling

  bindScroller() {
    const s = this.els.scroller;
    const byHand = () => {
      this.follow = false;
    };
    s.addEventListener("wheel", byHand, { passive: true });
    s.addEventListener("touchmove", byHand, { passive: true });
    s.addEventListener("keydown", byHand);
  }

  /** Show as much of the newest exchange as fits, never scrolling its question (and so the reply's first line)
   *  above the top of the view: a long reply stops at its start instead of jumping to the last card. */
  keepInView(botEl) {
    if (!this.follow) return;
    const s = this.els.scroller;
    const top = (el) => el.getBoundingClientRect().top - s.getBoundingClientRect().top + s.scrollTop;
    const user = botEl.previousElementSibling;
    let anchor = top(botEl) - SCROLL_MARGIN;
    if (user && top(botEl) - top(user) < s.clientHeight / 2) anchor = top(user) - SCROLL_MARGIN;
    const bottom = s.scrollHeight - s.clientHeight;
    s.scrollTop = Math.max(0, Math.min(bottom, anchor));
  }
}
