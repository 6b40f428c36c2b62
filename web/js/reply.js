// One reply: streamed text, then the statement with citation markers [1], the cards (previewed at the sentence that
// answers), suggested next questions, copy and feedback (which can be changed until the conversation is cleared).

import { h, clear, icon, ICONS, excerpt } from "./dom.js";
import { postJSON } from "./api.js";
import { copyText } from "./clipboard.js";

const PREVIEW_CONTEXT = 24; // characters shown on each side of the quoted sentence
const EXCERPT_CHARS = 80; // a card without a quote previews its clause's opening
const MARKER = /\[(\d{1,2})\]/g;
let replies = 0; // unique ids for the cards of each reply on the page

export class BotMessage {
  /**
   * @param {object} chat  { openCitation(c, el), send(q), retry(bot), conversation(), saveFeedback(turn), phone() }
   * @param {object} turn  { question, reply, feedback } — reply and feedback are filled in as they come
   */
  constructor(chat, turn) {
    this.chat = chat;
    this.turn = turn;
    this.key = "r" + ++replies;
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

  /** A streamed piece; the pieces of the trailing source are not shown (the marker [1] stands for them). */
  appendDelta(piece, part) {
    this.streamed += piece;
    if (part === "source") return;
    this.hideTyping();
    this.textNode.appendData(piece);
  }

  markDone() {
    this.hideTyping();
    this.el.dataset.state = "done";
    this.el.removeAttribute("aria-busy");
  }

  finish(body) {
    body = body && typeof body === "object" ? body : {};
    const answer = typeof body.answer === "string" && body.answer ? body.answer : this.streamed;
    const statement = typeof body.statement === "string" && body.statement ? body.statement : answer;
    const found = body.found !== false;
    const citations = Array.isArray(body.citations) ? body.citations.filter((c) => c && typeof c === "object") : [];
    this.reply = { ...body, answer, statement, found, citations };

    if (body.clarify) this.el.classList.add("clarify");
    else if (!found) {
      this.el.classList.add("not-found");
      this.body.insertBefore(
        h("div", { class: "notice-label" }, icon(ICONS.info), "未在已收录的公报中找到明确依据"),
        this.answerEl
      );
    }
    this.renderStatement(statement || (found ? "（无回答内容）" : ""), citations, found);
    if (body.incomplete) {
      this.body.appendChild(h("div", { class: "inline-note" }, icon(ICONS.alert), "连接中断，回答可能不完整。"));
    }
    if (citations.length) this.body.appendChild(this.renderCitations(citations, found));
    const suggestions = Array.isArray(body.suggestions) ? body.suggestions.filter((q) => typeof q === "string" && q) : [];
    if (suggestions.length) this.body.appendChild(this.renderSuggestions(suggestions));
    this.body.appendChild(this.renderActions(body));
    this.markDone();
  }

  fail(err) {
    this.el.classList.add("msg-error");
    this.el.dataset.errorCode = err.code || "error"; // for scripts; people read the message
    if (!this.streamed) this.answerEl.remove();
    const retry = err.retryable
      ? h(
          "button",
          { type: "button", class: "btn btn-ghost btn-small retry-btn", on: { click: () => this.chat.retry(this) } },
          icon(ICONS.retry),
          "重试"
        )
      : null;
    this.body.appendChild(
      h(
        "div",
        { class: "error-box", role: "alert" },
        icon(ICONS.alert, "error-icon"),
        h("div", { class: "error-main" }, h("p", { class: "error-message" }, err.message || "请求失败，请稍后重试。")),
        retry
      )
    );
    this.markDone();
  }

  // ---------------------------------------------------------------- statement and markers

  renderStatement(statement, citations, found) {
    clear(this.answerEl);
    let last = 0;
    let marked = false;
    statement.replace(MARKER, (match, n, offset) => {
      this.answerEl.appendChild(document.createTextNode(statement.slice(last, offset)));
      const index = Number(n) - 1;
      this.answerEl.appendChild(index >= 0 && index < citations.length ? this.marker(index) : document.createTextNode(match));
      marked = true;
      last = offset + match.length;
      return match;
    });
    this.answerEl.appendChild(document.createTextNode(statement.slice(last)));
    if (!marked && found && citations.length) this.answerEl.appendChild(this.marker(0));
  }

  marker(index) {
    return h(
      "button",
      {
        type: "button",
        class: "cite-marker",
        "aria-label": `出处 ${index + 1}`,
        on: { click: () => this.revealCard(index) },
      },
      `[${index + 1}]`
    );
  }

  revealCard(index) {
    const card = this.cards && this.cards[index];
    if (!card) return;
    card.setExpanded(true);
    const reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    card.el.scrollIntoView({ block: "nearest", behavior: reduce ? "auto" : "smooth" });
    card.toggle.focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------- citations

  renderCitations(citations, found) {
    const list = h("ol", { class: "citation-list" });
    // On a phone every card is one line (the marker [1] opens the first); on a wide screen the first is open.
    const phone = this.chat.phone();
    this.cards = citations.map((c, i) => this.renderCard(c, i, phone || i > 0));
    for (const card of this.cards) list.appendChild(h("li", null, card.el));
    return h(
      "section",
      { class: found ? "citations" : "citations citations-related", "aria-label": found ? "引用依据" : "相关文件" },
      h("h3", { class: "citations-heading" }, found ? "引用依据" : "相关文件"),
      list
    );
  }

  renderCard(c, i, collapsed) {
    const title = c.title || c.doc_no || "未命名文件";
    const detailsId = `${this.key}-cite-${i + 1}`;
    const toggle = h(
      "button",
      { type: "button", class: "cite-toggle", "aria-controls": detailsId },
      h("span", { class: "cite-index", "aria-hidden": "true" }, String(i + 1)),
      h("span", { class: "cite-head" }, h("span", { class: "visually-hidden" }, `出处 ${i + 1}：`), h("span", { class: "cite-title" }, title)),
      icon(ICONS.expand, "cite-chevron")
    );
    const open = h(
      "button",
      { type: "button", class: "btn btn-ghost btn-small cite-open", "aria-label": `查看原文：${title}` },
      icon(ICONS.doc),
      "查看原文"
    );
    const details = h(
      "div",
      { class: "cite-details", id: detailsId },
      c.doc_no ? h("p", { class: "cite-docno" }, c.doc_no) : null,
      c.section ? h("p", { class: "cite-section" }, c.section) : null,
      c.text ? h("p", { class: "cite-excerpt" }, preview(c.text, c.quote)) : null,
      c.doc_id !== undefined && c.doc_id !== null ? h("div", { class: "cite-actions" }, open) : null
    );
    const el = h("div", { class: "citation-card", dataset: { chunkId: c.chunk_id, docId: c.doc_id } }, toggle, details);
    const card = {
      el,
      toggle,
      setExpanded(expanded) {
        toggle.setAttribute("aria-expanded", expanded ? "true" : "false");
        el.classList.toggle("expanded", expanded);
        details.hidden = !expanded;
      },
    };
    card.setExpanded(!collapsed);
    toggle.addEventListener("click", () => card.setExpanded(toggle.getAttribute("aria-expanded") !== "true"));
    open.addEventListener("click", () => this.chat.openCitation(c, open));
    return card;
  }

  // ---------------------------------------------------------------- suggestions

  renderSuggestions(questions) {
    return h(
      "section",
      { class: "suggestions", "aria-label": "您可能还想问" },
      h("h3", { class: "suggestions-heading" }, "您可能还想问"),
      h(
        "ul",
        { class: "suggestion-list" },
        questions.map((q) => h("li", null, h("button", { type: "button", class: "suggestion-chip", on: { click: () => this.chat.send(q) } }, q)))
      )
    );
  }

  // ---------------------------------------------------------------- actions

  renderActions(body) {
    const up = h("button", { type: "button", class: "icon-btn fb-up", "aria-label": "有帮助", title: "有帮助", "aria-pressed": "false" }, icon(ICONS.thumbUp));
    const down = h(
      "button",
      { type: "button", class: "icon-btn fb-down", "aria-label": "没帮助", title: "没帮助", "aria-pressed": "false", "aria-expanded": "false" },
      icon(ICONS.thumbDown)
    );
    const copyLabel = h("span", null, "复制");
    const copy = h("button", { type: "button", class: "icon-btn copy-btn", title: "复制回答及出处" }, icon(ICONS.copy), copyLabel);
    const latency = typeof body.latency_ms === "number" && isFinite(body.latency_ms) ? formatLatency(body.latency_ms) : null;
    const status = h("div", { class: "fb-status" });
    const actions = h(
      "div",
      { class: "msg-actions" },
      h("div", { class: "action-buttons" }, up, down, copy),
      latency ? h("span", { class: "meta" }, latency) : null
    );
    this.fb = { up, down, status, actions, form: null, pending: false };
    if (this.turn.feedback) this.showRating(this.turn.feedback.rating);

    up.addEventListener("click", () => {
      if (this.fb.pending || this.rating() === "up") return;
      this.closeCommentForm();
      this.sendFeedback("up", "");
    });
    down.addEventListener("click", () => {
      if (this.fb.pending) return;
      if (this.fb.form) this.closeCommentForm();
      else this.openCommentForm();
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

  /** The statement and the short source line (the reference the screen shows as [1]). */
  copyPayload() {
    const reply = this.reply || {};
    const text = reply.statement || reply.answer || this.streamed || "";
    return reply.source ? `${text}\n出处：${reply.source}` : text;
  }

  rating() {
    return this.turn.feedback ? this.turn.feedback.rating : null;
  }

  showRating(rating) {
    for (const [name, button] of [["up", this.fb.up], ["down", this.fb.down]]) {
      button.setAttribute("aria-pressed", name === rating ? "true" : "false");
      button.classList.toggle("chosen", name === rating);
    }
  }

  openCommentForm() {
    const previous = this.turn.feedback && this.turn.feedback.rating === "down" ? this.turn.feedback.comment || "" : "";
    const field = h("textarea", {
      class: "fb-comment",
      rows: "2",
      maxlength: "500",
      placeholder: "哪里不准确或缺少什么？（选填）",
      "aria-label": "补充说明（选填）",
    });
    field.value = previous;
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-small fb-submit" }, "提交");
    const cancel = h("button", { type: "button", class: "btn btn-ghost btn-small fb-cancel" }, "取消");
    const form = h("form", { class: "fb-form", "aria-label": "反馈说明" }, field, h("div", { class: "fb-form-actions" }, cancel, submit));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!this.fb.pending) this.sendFeedback("down", field.value.trim());
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
    this.fb.actions.parentNode.insertBefore(form, this.fb.status);
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
    const submit = fb.form ? fb.form.querySelector(".fb-submit") : null;
    if (submit) submit.disabled = true;
    clear(fb.status);
    const reply = this.reply || {};
    const conversation = this.chat.conversation();
    const payload = {
      question_id: reply.question_id === undefined ? null : reply.question_id,
      session_id: conversation ? conversation.session_id : null,
      question: this.turn.question,
      answer: reply.answer || "",
      rating,
      comment: comment || "",
      chunk_ids: (reply.citations || []).map((c) => c.chunk_id).filter((x) => x !== undefined && x !== null),
    };
    const changed = this.turn.feedback !== null && this.turn.feedback !== undefined;
    try {
      await postJSON("/api/feedback", payload);
      this.turn.feedback = { rating, comment: comment || "" };
      this.chat.saveFeedback(this.turn);
      this.showRating(rating);
      this.closeCommentForm();
      fb.status.appendChild(
        h("span", { class: "fb-done", role: "status" }, icon(ICONS.check), changed ? "已更新，感谢反馈（可随时修改）" : "已记录，感谢反馈（可随时修改）")
      );
    } catch (err) {
      if (submit) submit.disabled = false;
      const msg = err && err.message ? err.message : "请稍后重试。";
      fb.status.appendChild(h("span", { class: "fb-error", role: "alert" }, "反馈提交失败：" + msg));
    } finally {
      fb.pending = false;
    }
  }
}

/** A card's preview: the quoted sentence highlighted, with a little of the clause around it; or the clause's opening. */
export function preview(text, quote) {
  const flat = String(text || "").replace(/\s+/g, " ").trim();
  const q = typeof quote === "string" ? quote.replace(/\s+/g, " ").trim() : "";
  const at = q ? flat.indexOf(q) : -1;
  if (at === -1) return excerpt(flat, EXCERPT_CHARS);
  const before = Array.from(flat.slice(0, at));
  const after = Array.from(flat.slice(at + q.length));
  return [
    (before.length > PREVIEW_CONTEXT ? "…" : "") + before.slice(-PREVIEW_CONTEXT).join(""),
    h("mark", { class: "cite-quote" }, q),
    after.slice(0, PREVIEW_CONTEXT).join("") + (after.length > PREVIEW_CONTEXT ? "…" : ""),
  ];
}

function formatLatency(ms) {
  if (ms < 1000) return `用时 ${Math.max(1, Math.round(ms))} 毫秒`;
  return `用时 ${(ms / 1000).toFixed(1)} 秒`;
}
