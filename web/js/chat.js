// The conversation: sending questions, streaming replies, citations, feedback.

import { h, clear, icon, ICONS, excerpt, prefersFinePointer } from "./dom.js";
import { ask, getJSON, postJSON, ApiError } from "./api.js";
import { getSessionId, setSessionId, newSessionId, getContext, setContext } from "./session.js";
import { copyText } from "./clipboard.js";

const TOP_K = 3;
const MAX_EXAMPLES = 6;
const EXCERPT_CHARS = 80;

export class Chat {
  /**
   * @param {object} els  { scroller, conversation, emptyState, examples, examplesBlock, form, input, send, newChat }
   * @param {object} opts { onOpenCitation(citation, cardEl) }
   */
  constructor(els, opts) {
    this.els = els;
    this.opts = opts || {};
    this.busy = false;
    this.controller = null;
    this.examples = [];
    this.bindComposer();
    this.loadExamples();
  }

  // ---------------------------------------------------------------- composer

  bindComposer() {
    const { form, input, newChat } = this.els;
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
      }
    });
    input.addEventListener("input", () => this.autosize());
    // A shorter placeholder on narrow screens.
    if (window.matchMedia) {
      const mq = window.matchMedia("(max-width: 480px)");
      const long = input.getAttribute("placeholder") || "";
      const apply = () => input.setAttribute("placeholder", mq.matches ? "请输入您的问题" : long);
      apply();
      if (mq.addEventListener) mq.addEventListener("change", apply);
      else if (mq.addListener) mq.addListener(apply);
    }
    newChat.addEventListener("click", () => this.reset());
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

  submitInput() {
    const { input } = this.els;
    const q = input.value.trim();
    if (!q) {
      input.focus();
      return;
    }
    if (this.busy) return;
    input.value = "";
    this.autosize();
    this.send(q);
  }

  setBusy(busy) {
    this.busy = busy;
    this.els.send.disabled = busy;
    this.els.send.setAttribute("aria-busy", busy ? "true" : "false");
    if (busy) this.els.conversation.setAttribute("aria-busy", "true");
    else this.els.conversation.removeAttribute("aria-busy");
  }

  // ---------------------------------------------------------------- examples

  async loadExamples() {
    try {
      const body = await getJSON("/api/examples");
      const list = body && Array.isArray(body.examples) ? body.examples : [];
      this.examples = list.filter((x) => typeof x === "string" && x.trim()).slice(0, MAX_EXAMPLES);
    } catch (_) {
      this.examples = [];
    }
    this.renderExamples();
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

  // ---------------------------------------------------------------- conversation

  isEmpty() {
    return this.els.conversation.childElementCount === 0;
  }

  updateEmptyState() {
    this.els.emptyState.hidden = !this.isEmpty();
  }

  reset() {
    if (this.controller) this.controller.abort();
    this.controller = null;
    this.setBusy(false);
    clear(this.els.conversation);
    newSessionId();
    this.els.input.value = "";
    this.autosize();
    this.updateEmptyState();
    this.els.scroller.scrollTop = 0;
    if (location.hash && location.hash !== "#/" && location.hash !== "#") location.hash = "#/";
    if (prefersFinePointer()) this.els.input.focus();
  }

  nearBottom() {
    const s = this.els.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
  }

  scrollToBottom() {
    const s = this.els.scroller;
    s.scrollTop = s.scrollHeight;
  }

  async send(question) {
    const q = String(question || "").trim();
    if (!q || this.busy) return;
    const { conversation } = this.els;

    conversation.appendChild(
      h("div", { class: "msg msg-user" }, h("span", { class: "visually-hidden" }, "问："), h("div", { class: "bubble" }, q))
    );
    const bot = new BotMessage(this, q);
    conversation.appendChild(bot.el);
    this.updateEmptyState();
    this.scrollToBottom();

    this.setBusy(true);
    const controller = new AbortController();
    this.controller = controller;
    try {
      const payload = { question: q, top_k: TOP_K, session_id: getSessionId() };
      const context = getContext();
      if (context) payload.context = context; // the previous turn, signed: any replica can continue from it
      const body = await ask(payload, {
        onDelta: (piece) => {
          const stick = this.nearBottom();
          bot.appendDelta(piece);
          if (stick) this.scrollToBottom();
        },
      }, controller.signal);
      if (controller.signal.aborted) return;
      if (body && typeof body.session_id === "string") setSessionId(body.session_id);
      if (body && "context" in body) setContext(body.context); // a string, or null: nothing to follow up on
      const stick = this.nearBottom();
      bot.finish(body);
      if (stick) this.scrollToBottom();
    } catch (err) {
      if (controller.signal.aborted || (err && err.name === "AbortError")) return;
      const e = err instanceof ApiError ? err : new ApiError("出现未知错误，请稍后重试。", "client_error", 0);
      const stick = this.nearBottom();
      bot.fail(e);
      if (stick) this.scrollToBottom();
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
    this.send(bot.question);
  }

  openCitation(citation, card) {
    if (this.opts.onOpenCitation) this.opts.onOpenCitation(citation, card);
  }
}

// -------------------------------------------------------------------- one reply

class BotMessage {
  constructor(chat, question) {
    this.chat = chat;
    this.question = question;
    this.streamed = "";
    this.textNode = document.createTextNode("");
    this.answerEl = h("div", { class: "answer-text" }, this.textNode);
    this.typing = h(
      "div",
      { class: "typing", role: "status" },
      h("span", { class: "typing-dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")),
      h("span", { class: "typing-label" }, "正在检索公报原文…")
    );
    this.body = h("div", { class: "bot-body" }, this.typing, this.answerEl);
    this.el = h(
      "div",
      { class: "msg msg-bot", dataset: { state: "streaming" }, "aria-busy": "true" },
      h("span", { class: "visually-hidden" }, "答："),
      this.body
    );
  }

  hideTyping() {
    if (this.typing) {
      this.typing.remove();
      this.typing = null;
    }
  }

  appendDelta(piece) {
    this.hideTyping();
    this.streamed += piece;
    this.textNode.appendData(piece);
  }

  setText(text) {
    if (this.textNode.data !== text) this.textNode.data = text;
  }

  markDone() {
    this.hideTyping();
    this.el.dataset.state = "done";
    this.el.removeAttribute("aria-busy");
  }

  finish(body) {
    body = body && typeof body === "object" ? body : {};
    const answer = typeof body.answer === "string" && body.answer ? body.answer : this.streamed;
    this.answer = answer;
    this.setText(answer);
    const found = body.found !== false;
    const citations = Array.isArray(body.citations) ? body.citations.filter((c) => c && typeof c === "object") : [];
    this.citations = citations;
    this.questionId = body.question_id === undefined ? null : body.question_id;

    if (!found) {
      this.el.classList.add("not-found");
      this.body.insertBefore(
        h("div", { class: "notice-label" }, icon(ICONS.info), "未在已收录的公报中找到明确依据"),
        this.answerEl
      );
    }
    if (!answer) this.setText(found ? "（无回答内容）" : "");

    if (body.incomplete) {
      this.body.appendChild(h("div", { class: "inline-note" }, icon(ICONS.alert), "连接中断，回答可能不完整。"));
    }
    if (citations.length) this.body.appendChild(this.renderCitations(citations, found));
    this.body.appendChild(this.renderActions(body));
    this.markDone();
  }

  fail(err) {
    this.el.classList.add("msg-error");
    this.el.dataset.errorCode = err.code || "error";
    if (!this.streamed) this.answerEl.remove();
    const retry = h(
      "button",
      { type: "button", class: "btn btn-ghost btn-small retry-btn", on: { click: () => this.chat.retry(this) } },
      icon(ICONS.retry),
      "重试"
    );
    this.body.appendChild(
      h(
        "div",
        { class: "error-box", role: "alert" },
        icon(ICONS.alert, "error-icon"),
        h(
          "div",
          { class: "error-main" },
          h("p", { class: "error-message" }, err.message || "请求失败，请稍后重试。"),
          err.code && err.code !== "error" ? h("p", { class: "error-code" }, "错误代码：" + err.code) : null
        ),
        retry
      )
    );
    this.markDone();
  }

  // ---------------------------------------------------------------- citations

  renderCitations(citations, found) {
    const list = h("ol", { class: "citation-list" });
    citations.forEach((c, i) => {
      const title = c.title || c.doc_no || "未命名文件";
      const card = h(
        "button",
        {
          type: "button",
          class: "citation-card",
          dataset: { chunkId: c.chunk_id, docId: c.doc_id },
          "aria-label": `查看出处 ${i + 1}：${title}${c.section ? "，" + c.section : ""}`,
        },
        h("span", { class: "cite-index", "aria-hidden": "true" }, String(i + 1)),
        h(
          "span",
          { class: "cite-main" },
          h("span", { class: "cite-title" }, title),
          c.doc_no ? h("span", { class: "cite-docno" }, c.doc_no) : null,
          c.section ? h("span", { class: "cite-section" }, c.section) : null,
          c.text ? h("span", { class: "cite-excerpt" }, excerpt(c.text, EXCERPT_CHARS)) : null
        ),
        icon(ICONS.chevron, "cite-chevron")
      );
      card.addEventListener("click", () => this.chat.openCitation(c, card));
      list.appendChild(h("li", null, card));
    });
    return h(
      "section",
      { class: found ? "citations" : "citations citations-related" },
      h("h3", { class: "citations-heading" }, found ? "引用依据" : "相关文件"),
      list
    );
  }

  // ---------------------------------------------------------------- actions

  renderActions(body) {
    const up = h(
      "button",
      { type: "button", class: "icon-btn fb-up", "aria-label": "👍 有帮助", title: "有帮助", "aria-pressed": "false" },
      icon(ICONS.thumbUp)
    );
    const down = h(
      "button",
      { type: "button", class: "icon-btn fb-down", "aria-label": "👎 没帮助", title: "没帮助", "aria-pressed": "false", "aria-expanded": "false" },
      icon(ICONS.thumbDown)
    );
    const copyLabel = h("span", null, "复制");
    const copy = h("button", { type: "button", class: "icon-btn copy-btn", title: "复制回答" }, icon(ICONS.copy), copyLabel);
    const latency = typeof body.latency_ms === "number" && isFinite(body.latency_ms) ? formatLatency(body.latency_ms) : null;
    const status = h("div", { class: "fb-status" });
    const actions = h(
      "div",
      { class: "msg-actions" },
      h("div", { class: "action-buttons" }, up, down, copy),
      latency ? h("span", { class: "meta" }, latency) : null
    );
    this.fb = { up, down, status, form: null, sent: false };

    up.addEventListener("click", () => {
      if (this.fb.sent || this.fb.pending) return;
      this.closeCommentForm();
      this.sendFeedback("up", "");
    });
    down.addEventListener("click", () => {
      if (this.fb.sent || this.fb.pending) return;
      if (this.fb.form) this.closeCommentForm();
      else this.openCommentForm(actions);
    });
    copy.addEventListener("click", async () => {
      const ok = await copyText(this.copyPayload());
      copy.classList.toggle("copied", ok);
      copyLabel.textContent = ok ? "已复制" : "复制失败";
      clearTimeout(this.copyTimer);
      this.copyTimer = setTimeout(() => {
        copy.classList.remove("copied");
        copyLabel.textContent = "复制";
      }, 2000);
    });

    return h("div", { class: "msg-footer" }, actions, status);
  }

  copyPayload() {
    let text = this.answer || this.streamed || "";
    if (this.citations && this.citations.length) {
      const lines = this.citations.map((c, i) => {
        const parts = [`${i + 1}. 《${c.title || ""}》`];
        if (c.doc_no) parts.push(`（${c.doc_no}）`);
        if (c.section) parts.push(" " + c.section);
        return parts.join("");
      });
      text += "\n\n出处：\n" + lines.join("\n");
    }
    return text;
  }

  openCommentForm(actions) {
    const field = h("textarea", {
      class: "fb-comment",
      rows: "2",
      maxlength: "500",
      placeholder: "哪里不准确或缺少什么？（选填）",
      "aria-label": "补充说明（选填）",
    });
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-small fb-submit" }, "提交");
    const cancel = h("button", { type: "button", class: "btn btn-ghost btn-small fb-cancel" }, "取消");
    const form = h(
      "form",
      { class: "fb-form", "aria-label": "反馈说明" },
      field,
      h("div", { class: "fb-form-actions" }, cancel, submit)
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (this.fb.pending || this.fb.sent) return;
      this.sendFeedback("down", field.value.trim());
    });
    field.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
      } else if (e.key === "Escape") {
        this.closeCommentForm();
        this.fb.down.focus();
      }
    });
    cancel.addEventListener("click", () => {
      this.closeCommentForm();
      this.fb.down.focus();
    });
    actions.parentNode.insertBefore(form, this.fb.status);
    this.fb.form = form;
    this.fb.down.setAttribute("aria-expanded", "true");
    this.fb.down.classList.add("active");
    field.focus({ preventScroll: true });
    form.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  closeCommentForm() {
    if (this.fb.form) {
      this.fb.form.remove();
      this.fb.form = null;
    }
    this.fb.down.setAttribute("aria-expanded", "false");
    this.fb.down.classList.remove("active");
  }

  async sendFeedback(rating, comment) {
    const fb = this.fb;
    fb.pending = true;
    fb.up.disabled = true;
    fb.down.disabled = true;
    const submit = fb.form ? fb.form.querySelector(".fb-submit") : null;
    if (submit) submit.disabled = true;
    clear(fb.status);
    const payload = {
      question_id: this.questionId,
      session_id: getSessionId(),
      question: this.question,
      answer: this.answer || "",
      rating,
      comment: comment || "",
      chunk_ids: (this.citations || []).map((c) => c.chunk_id).filter((x) => x !== undefined && x !== null),
    };
    try {
      await postJSON("/api/feedback", payload);
      fb.sent = true;
      (rating === "up" ? fb.up : fb.down).setAttribute("aria-pressed", "true");
      (rating === "up" ? fb.up : fb.down).classList.add("chosen");
      if (fb.form) {
        fb.form.remove();
        fb.form = null;
      }
      fb.down.setAttribute("aria-expanded", "false");
      fb.status.appendChild(h("span", { class: "fb-done", role: "status" }, icon(ICONS.check), "已记录，感谢反馈"));
    } catch (err) {
      fb.up.disabled = false;
      fb.down.disabled = false;
      if (submit) submit.disabled = false;
      const msg = err && err.message ? err.message : "请稍后重试。";
      fb.status.appendChild(h("span", { class: "fb-error", role: "alert" }, "反馈提交失败：" + msg));
    } finally {
      fb.pending = false;
    }
  }
}

function formatLatency(ms) {
  if (ms < 1000) return `用时 ${Math.max(1, Math.round(ms))} 毫秒`;
  return `用时 ${(ms / 1000).toFixed(1)} 秒`;
}
