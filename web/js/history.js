// The list of past conversations: a side panel on wide screens, a drawer on phones; opening one restores it
// (with its follow-up context), 清除全部 forgets them all after a second press.

import { h, clear } from "./dom.js";

const WIDE = "(min-width: 1024px)";

function when(timestamp) {
  const d = new Date(timestamp);
  if (isNaN(d.getTime())) return "";
  const pad = (n) => (n < 10 ? "0" : "") + n;
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  return sameDay ? `${pad(d.getHours())}:${pad(d.getMinutes())}` : `${d.getMonth() + 1}月${d.getDate()}日`;
}

export class History {
  /**
   * @param {object} els  { panel, list, clearAll, toggle, close, backdrop }
   * @param {ConversationStore} store
   * @param {object} opts { onOpen(id), onClear() }
   */
  constructor(els, store, opts) {
    this.els = els;
    this.store = store;
    this.opts = opts;
    this.confirming = false;
    els.toggle.addEventListener("click", () => (this.isOpen() ? this.close() : this.open()));
    els.close.addEventListener("click", () => this.close(true));
    els.backdrop.addEventListener("click", () => this.close(true));
    els.panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.isOpen()) {
        e.preventDefault();
        this.close(true);
      }
    });
    els.clearAll.addEventListener("click", () => this.clearAll());
    els.clearAll.addEventListener("blur", () => this.resetConfirm());
    this.render();
  }

  wide() {
    return typeof window.matchMedia === "function" && window.matchMedia(WIDE).matches;
  }

  isOpen() {
    return this.els.panel.dataset.open === "true";
  }

  open() {
    this.els.panel.dataset.open = "true";
    this.els.backdrop.hidden = false;
    this.els.toggle.setAttribute("aria-expanded", "true");
    const focusable = this.els.panel.querySelector("[aria-current=true]") || this.els.close;
    focusable.focus();
  }

  close(returnFocus) {
    if (!this.isOpen()) return;
    delete this.els.panel.dataset.open;
    this.els.backdrop.hidden = true;
    this.els.toggle.setAttribute("aria-expanded", "false");
    if (returnFocus) this.els.toggle.focus();
  }

  resetConfirm() {
    this.confirming = false;
    this.els.clearAll.classList.remove("confirming");
    this.els.clearAll.lastChild.textContent = "清除全部";
  }

  clearAll() {
    if (!this.confirming) {
      this.confirming = true;
      this.els.clearAll.classList.add("confirming");
      this.els.clearAll.lastChild.textContent = "确认清除全部对话？";
      return;
    }
    this.resetConfirm();
    this.opts.onClear();
  }

  render() {
    const { list, clearAll } = this.els;
    clear(list);
    const conversations = this.store.list();
    const current = this.store.current();
    clearAll.hidden = conversations.length === 0;
    if (!conversations.length) {
      list.appendChild(h("p", { class: "history-empty" }, "暂无历史对话。提问后，对话会保存在本浏览器中。"));
      return;
    }
    const ul = h("ul", { class: "history-list" });
    for (const c of conversations) {
      const isCurrent = current !== null && c.id === current.id;
      const item = h(
        "button",
        { type: "button", class: "history-item", dataset: { id: c.id }, "aria-current": isCurrent ? "true" : null },
        h("span", { class: "history-title" }, c.title || "（无标题）"),
        h("span", { class: "history-meta" }, `${when(c.updated)} · ${c.turns.length} 问`)
      );
      item.addEventListener("click", () => {
        this.opts.onOpen(c.id);
        if (!this.wide()) this.close(false);
      });
      ul.appendChild(h("li", null, item));
    }
    list.appendChild(ul);
  }
}

