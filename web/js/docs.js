// Document list (#/docs) and single document view (#/doc/<id>?chunk=<chunk_id>).

import { h, clear, icon, ICONS, asList, listText } from "./dom.js";
import { getJSON, ApiError } from "./api.js";

export function docHash(docId, chunkId) {
  let hash = "#/doc/" + encodeURIComponent(docId);
  if (chunkId !== undefined && chunkId !== null && chunkId !== "") hash += "?chunk=" + encodeURIComponent(chunkId);
  return hash;
}

/** id attribute for a clause: ids may hold any character except whitespace. */
export function clauseDomId(chunkId) {
  return "clause-" + String(chunkId).replace(/\s/g, "_");
}

function errorMessage(err, fallback) {
  if (err instanceof ApiError && err.message) return err.message;
  return fallback;
}

// ------------------------------------------------------------------ list view

export class DocList {
  constructor(els) {
    this.els = els; // { list, filter, count }
    this.docs = null;
    this.loading = null;
    els.filter.addEventListener("input", () => this.applyFilter());
  }

  show() {
    if (this.docs) return;
    if (!this.loading) this.loading = this.load();
  }

  async load() {
    const { list } = this.els;
    clear(list);
    list.setAttribute("aria-busy", "true");
    list.appendChild(h("p", { class: "placeholder" }, "正在加载文件列表…"));
    try {
      const body = await getJSON("/api/documents");
      this.docs = body && Array.isArray(body.documents) ? body.documents : [];
      this.render();
    } catch (err) {
      clear(list);
      list.appendChild(
        h(
          "div",
          { class: "error-box", role: "alert" },
          icon(ICONS.alert, "error-icon"),
          h("div", { class: "error-main" }, h("p", { class: "error-message" }, errorMessage(err, "文件列表加载失败。"))),
          h(
            "button",
            {
              type: "button",
              class: "btn btn-ghost btn-small",
              on: {
                click: () => {
                  this.loading = this.load();
                },
              },
            },
            icon(ICONS.retry),
            "重试"
          )
        )
      );
    } finally {
      list.removeAttribute("aria-busy");
      this.loading = null;
    }
  }

  render() {
    const { list, count } = this.els;
    clear(list);
    if (!this.docs.length) {
      list.appendChild(h("p", { class: "placeholder" }, "暂无已收录的文件。"));
      count.textContent = "";
      return;
    }
    const ul = h("ul", { class: "doc-rows" });
    for (const d of this.docs) {
      const meta = [d.doc_no, d.issuer, d.date].filter(Boolean);
      const tags = [];
      if (d.category) tags.push(h("span", { class: "tag" }, d.category));
      if (typeof d.clause_count === "number") tags.push(h("span", { class: "tag tag-plain" }, `${d.clause_count} 条`));
      if (d.issue) tags.push(h("span", { class: "tag tag-plain" }, d.issue + (d.page ? ` · 第${d.page}页` : "")));
      const row = h(
        "button",
        { type: "button", class: "doc-row", dataset: { docId: d.doc_id } },
        h("span", { class: "doc-row-icon", "aria-hidden": "true" }, icon(ICONS.doc)),
        h(
          "span",
          { class: "doc-row-main" },
          h("span", { class: "doc-row-title" }, d.title || d.doc_no || d.doc_id),
          d.plan_title && d.plan_title !== d.title ? h("span", { class: "doc-row-plan" }, d.plan_title) : null,
          meta.length ? h("span", { class: "doc-row-meta" }, meta.join("  ·  ")) : null,
          tags.length ? h("span", { class: "doc-row-tags" }, tags) : null
        ),
        icon(ICONS.chevron, "cite-chevron")
      );
      row.addEventListener("click", () => {
        location.hash = docHash(d.doc_id);
      });
      const li = h("li", null, row);
      li.dataset.search = [d.title, d.plan_title, d.doc_no, d.issuer, d.category].filter(Boolean).join(" ").toLowerCase();
      ul.appendChild(li);
    }
    list.appendChild(ul);
    list.appendChild(h("p", { class: "placeholder filter-empty", hidden: true }, "没有匹配的文件。"));
    this.applyFilter();
  }

  applyFilter() {
    if (!this.docs) return;
    const q = this.els.filter.value.trim().toLowerCase();
    const items = this.els.list.querySelectorAll(".doc-rows > li");
    let shown = 0;
    items.forEach((li) => {
      const match = !q || li.dataset.search.indexOf(q) !== -1;
      li.hidden = !match;
      if (match) shown++;
    });
    const empty = this.els.list.querySelector(".filter-empty");
    if (empty) empty.hidden = shown !== 0;
    this.els.count.textContent = q ? `${shown} / ${this.docs.length} 份` : `共 ${this.docs.length} 份`;
  }
}

// ------------------------------------------------------------------ document view

export class DocView {
  constructor(els, opts) {
    this.els = els; // { view, scroller, content, back, backLabel, toolbarTitle, jump }
    this.opts = opts || {};
    this.cache = new Map();
    this.docId = null;
    this.rendered = false;
    this.clauses = new Map();
    this.highlighted = null;
    this.token = 0;
    els.jump.addEventListener("click", () => {
      if (this.highlighted) this.reveal(this.highlighted, true);
    });
  }

  setBackLabel(text) {
    this.els.backLabel.textContent = text;
  }

  async show(docId, chunkId) {
    const token = ++this.token;
    if (this.docId === docId && this.rendered) {
      this.highlight(chunkId, true);
      return;
    }
    this.docId = docId;
    this.rendered = false;
    this.clauses = new Map();
    this.highlighted = null;
    this.els.jump.hidden = true;
    const { content } = this.els;
    clear(content);
    this.els.toolbarTitle.textContent = "";
    this.els.scroller.scrollTop = 0;
    content.setAttribute("aria-busy", "true");
    content.appendChild(h("p", { class: "placeholder" }, "正在加载文件…"));

    let doc;
    try {
      doc = this.cache.get(docId);
      if (!doc) {
        doc = await getJSON("/api/documents/" + encodeURIComponent(docId));
        if (!doc || typeof doc !== "object") throw new ApiError("文件数据格式有误。", "bad_response", 200);
        this.cache.set(docId, doc);
      }
    } catch (err) {
      if (token !== this.token) return;
      content.removeAttribute("aria-busy");
      clear(content);
      this.docId = null;
      content.appendChild(
        h(
          "div",
          { class: "error-box", role: "alert" },
          icon(ICONS.alert, "error-icon"),
          h("div", { class: "error-main" }, h("p", { class: "error-message" }, errorMessage(err, "文件加载失败，请稍后重试。")))
        )
      );
      this.els.heading = null;
      return;
    }
    if (token !== this.token) return;
    content.removeAttribute("aria-busy");
    this.render(doc);
    this.rendered = true;
    this.highlight(chunkId, false);
  }

  render(doc) {
    const { content } = this.els;
    clear(content);
    this.els.toolbarTitle.textContent = doc.title || doc.doc_no || "";

    const meta = h("dl", { class: "doc-meta" });
    const addMeta = (label, value) => {
      const v = listText(value);
      if (v) meta.appendChild(h("div", { class: "doc-meta-item" }, h("dt", null, label), h("dd", null, v)));
    };
    addMeta("文号", doc.doc_no);
    addMeta("发文机关", doc.issuer);
    addMeta("成文日期", doc.date);
    addMeta("公报期次", doc.issue);
    addMeta("主送", doc.addressees);
    addMeta("施行日期", doc.in_force);
    addMeta("废止日期", doc.expires);
    const clauses = Array.isArray(doc.clauses) ? doc.clauses : [];
    addMeta("条款数", typeof doc.clause_count === "number" ? `${doc.clause_count} 条` : clauses.length ? `${clauses.length} 条` : "");

    const heading = h("h2", { class: "doc-title", tabindex: "-1" }, doc.title || doc.doc_no || "文件");
    this.els.heading = heading;
    content.appendChild(
      h(
        "header",
        { class: "doc-header" },
        h("p", { class: "doc-kicker" }, "政府公报 · 原文"),
        heading,
        doc.plan_title && doc.plan_title !== doc.title ? h("p", { class: "doc-plan-title" }, doc.plan_title) : null,
        meta
      )
    );

    const body = h("div", { class: "doc-body" });
    let prev = [];
    for (const c of clauses) {
      if (!c || typeof c !== "object") continue;
      const path = sectionPath(c);
      let i = 0;
      while (i < path.length && i < prev.length && path[i] === prev[i]) i++;
      for (let d = i; d < path.length; d++) {
        body.appendChild(
          h(
            "div",
            { class: `sec-heading depth-${Math.min(d, 5)}`, role: "heading", "aria-level": String(Math.min(3 + d, 6)) },
            path[d]
          )
        );
      }
      prev = path;
      body.appendChild(this.renderClause(c, path.length));
    }
    if (!clauses.length) body.appendChild(h("p", { class: "placeholder" }, "该文件暂无条款内容。"));
    content.appendChild(body);
  }

  renderClause(c, depth) {
    const chunkId = c.chunk_id === undefined || c.chunk_id === null ? "" : String(c.chunk_id);
    const kind = typeof c.kind === "string" ? c.kind.replace(/[^A-Za-z0-9_-]/g, "") : "";
    const el = h(
      "div",
      {
        class: ["clause", `depth-${Math.min(depth, 5)}`, kind ? `kind-${kind}` : ""],
        id: chunkId ? clauseDomId(chunkId) : null,
        dataset: { chunkId },
        tabindex: "-1",
      },
      h("p", { class: "clause-text" }, c.text || "")
    );
    const lead = asList(c.lead_units);
    const resp = asList(c.responsible_units);
    if (lead.length || resp.length) {
      const units = h("div", { class: "clause-units" });
      if (lead.length) units.appendChild(unitGroup("牵头单位", lead, "unit-lead"));
      if (resp.length) units.appendChild(unitGroup("责任单位", resp, "unit-resp"));
      el.appendChild(units);
    }
    if (chunkId) this.clauses.set(chunkId, el);
    return el;
  }

  highlight(chunkId, smooth) {
    if (this.highlighted) {
      this.highlighted.classList.remove("highlight");
      this.highlighted.removeAttribute("aria-current");
      const badge = this.highlighted.querySelector(".clause-badge");
      if (badge) badge.remove();
    }
    this.highlighted = null;
    const notice = this.els.content.querySelector(".doc-notice");
    if (notice) notice.remove();
    const key = chunkId === undefined || chunkId === null ? "" : String(chunkId);
    const el = key ? this.clauses.get(key) : null;
    this.els.jump.hidden = !el;
    if (!el) {
      const header = this.els.content.querySelector(".doc-header");
      if (key.endsWith("/header") && header) {
        // a document card was cited (文号, dates, issuer…): its metadata block is the cited part
        header.classList.add("highlight");
        header.setAttribute("aria-current", "true");
        this.highlighted = header;
      } else if (key) {
        const n = h("p", { class: "doc-notice", role: "status" }, icon(ICONS.info), "未找到所引用的条款，已显示文件全文。");
        if (header) header.after(n);
      }
      this.els.scroller.scrollTop = 0;
      if (this.els.heading) this.els.heading.focus({ preventScroll: true });
      return;
    }
    el.classList.add("highlight");
    el.setAttribute("aria-current", "true");
    el.insertBefore(h("span", { class: "clause-badge" }, "引用条款"), el.firstChild);
    this.highlighted = el;
    this.reveal(el, smooth);
  }

  reveal(el, smooth) {
    // Wait a frame so layout is settled after the view becomes visible.
    requestAnimationFrame(() => {
      const reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      // Centre the clause, unless it is taller than the view: then show its start.
      const tall = el.offsetHeight > this.els.scroller.clientHeight * 0.8;
      el.scrollIntoView({ block: tall ? "start" : "center", behavior: smooth && !reduce ? "smooth" : "auto" });
      el.focus({ preventScroll: true });
    });
  }
}

function sectionPath(c) {
  if (Array.isArray(c.section_path)) return c.section_path.filter((s) => s !== null && s !== undefined && String(s) !== "").map(String);
  if (typeof c.section === "string" && c.section.trim()) return c.section.split(">").map((s) => s.trim()).filter(Boolean);
  return [];
}

function unitGroup(label, units, cls) {
  return h(
    "div",
    { class: `unit-group ${cls}-group` },
    h("span", { class: "unit-label" }, label),
    h("span", { class: "unit-chips" }, units.map((u) => h("span", { class: `unit-chip ${cls}` }, u)))
  );
}
