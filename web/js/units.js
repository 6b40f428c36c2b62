// 按单位查看 (#/units, #/units/<name>?role=lead|responsible): find a unit, see its tasks across all documents as a
// table grouped by document (role badges, deadlines), filter by role, export to Excel; a row opens the clause.

import { h, clear, icon, ICONS } from "./dom.js";
import { getJSON, ApiError } from "./api.js";
import { docHash } from "./docs.js";

const ROLE_LABELS = { lead: "牵头", responsible: "负责" };
const ROLES = ["", "lead", "responsible"];
const DOWNLOAD_ICON = ["M12 4v11", "M7 10l5 5 5-5", "M5 20h14"];

export function unitHash(name, role) {
  let hash = "#/units/" + encodeURIComponent(name);
  if (role) hash += "?role=" + encodeURIComponent(role);
  return hash;
}

function tasksUrl(name, params) {
  const query = new URLSearchParams();
  for (const key of Object.keys(params)) if (params[key]) query.set(key, params[key]);
  const q = query.toString();
  return "/api/units/" + encodeURIComponent(name) + "/tasks" + (q ? "?" + q : "");
}

function errorBox(message, extra) {
  return h(
    "div",
    { class: "error-box", role: "alert" },
    icon(ICONS.alert, "error-icon"),
    h("div", { class: "error-main" }, h("p", { class: "error-message" }, message), extra || null)
  );
}

export class UnitsView {
  constructor(els) {
    // { search, form, list, detail, count }
    this.els = els;
    this.units = null;
    this.loading = null;
    this.token = 0;
    this.current = null; // { name, role }
    els.search.addEventListener("input", () => {
      if (this.current) {
        this.els.detail.hidden = true;
        this.els.list.hidden = false;
      }
      this.applyFilter();
    });
    els.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.pick();
    });
  }

  /** Show the unit list, or one unit's tasks (name given). */
  async show(name, role) {
    if (!this.units && !this.loading) this.loading = this.loadUnits();
    if (name) {
      this.els.list.hidden = true;
      this.els.detail.hidden = false;
      this.els.count.textContent = this.units ? `共 ${this.units.length} 个单位` : "";
      await this.showTasks(name, role || "");
    } else {
      this.current = null;
      this.els.detail.hidden = true;
      this.els.list.hidden = false;
      clear(this.els.detail);
      this.applyFilter();
    }
  }

  async loadUnits() {
    const { list } = this.els;
    clear(list);
    list.setAttribute("aria-busy", "true");
    list.appendChild(h("p", { class: "placeholder" }, "正在加载单位列表…"));
    try {
      const body = await getJSON("/api/units");
      this.units = body && Array.isArray(body.units) ? body.units : [];
      this.renderUnits();
    } catch (err) {
      clear(list);
      const retry = h("button", { type: "button", class: "btn btn-ghost btn-small", on: { click: () => (this.loading = this.loadUnits()) } }, icon(ICONS.retry), "重试");
      list.appendChild(errorBox(err instanceof ApiError && err.message ? err.message : "单位列表加载失败。", retry));
    } finally {
      list.removeAttribute("aria-busy");
      this.loading = null;
    }
  }

  renderUnits() {
    const { list } = this.els;
    clear(list);
    if (!this.units.length) {
      list.appendChild(h("p", { class: "placeholder" }, "已收录的文件中没有责任分工。"));
      return;
    }
    const groups = new Map();
    for (const u of this.units) {
      if (!groups.has(u.kind)) groups.set(u.kind, []);
      groups.get(u.kind).push(u);
    }
    for (const [kind, units] of groups) {
      const ul = h("ul", { class: "unit-rows" });
      for (const u of units) {
        const li = h(
          "li",
          null,
          h(
            "a",
            { class: "unit-row", href: unitHash(u.name), dataset: { unit: u.name } },
            h("span", { class: "unit-row-name" }, u.name),
            h(
              "span",
              { class: "unit-row-counts" },
              u.lead ? h("span", { class: "role-badge role-lead" }, `牵头 ${u.lead}`) : null,
              u.responsible ? h("span", { class: "role-badge role-responsible" }, `负责 ${u.responsible}`) : null
            )
          )
        );
        li.dataset.search = [u.name].concat(Array.isArray(u.aliases) ? u.aliases : []).join(" ").toLowerCase();
        ul.appendChild(li);
      }
      list.appendChild(h("section", { class: "unit-group-block" }, h("h2", { class: "unit-kind" }, kind, h("span", { class: "unit-kind-count" }, ` ${units.length}`)), ul));
    }
    list.appendChild(h("p", { class: "placeholder filter-empty", hidden: true }, "没有匹配的单位，按回车可按名称查找。"));
    this.applyFilter();
  }

  applyFilter() {
    if (!this.units || this.els.list.hidden) return;
    const q = this.els.search.value.trim().toLowerCase();
    let shown = 0;
    this.els.list.querySelectorAll(".unit-group-block").forEach((block) => {
      let inBlock = 0;
      block.querySelectorAll("li").forEach((li) => {
        const match = !q || li.dataset.search.indexOf(q) !== -1;
        li.hidden = !match;
        if (match) inBlock++;
      });
      block.hidden = inBlock === 0;
      block.querySelector(".unit-kind-count").textContent = ` ${inBlock}`;
      shown += inBlock;
    });
    const empty = this.els.list.querySelector(".filter-empty");
    if (empty) empty.hidden = shown !== 0;
    this.els.count.textContent = q ? `${shown} / ${this.units.length} 个单位` : `共 ${this.units.length} 个单位`;
  }

  /** Enter in the search box: the only match, or let the server resolve the typed name (any alias works). */
  pick() {
    const q = this.els.search.value.trim();
    if (!q) return;
    const visible = Array.from(this.els.list.querySelectorAll("li:not([hidden]) .unit-row"));
    const name = visible.length === 1 ? visible[0].dataset.unit : q;
    location.hash = unitHash(name);
  }

  async showTasks(name, role) {
    const token = ++this.token;
    const { detail } = this.els;
    this.current = { name, role };
    clear(detail);
    detail.setAttribute("aria-busy", "true");
    detail.appendChild(h("p", { class: "placeholder" }, "正在加载任务…"));
    let body;
    try {
      body = await getJSON(tasksUrl(name, { role }));
    } catch (err) {
      if (token !== this.token) return;
      detail.removeAttribute("aria-busy");
      clear(detail);
      const closest = err instanceof ApiError && Array.isArray(err.closest) ? err.closest : [];
      const chips = closest.length
        ? h("p", { class: "unit-suggest" }, "您要找的是不是：", closest.map((c) => h("a", { class: "unit-chip", href: unitHash(c) }, c)))
        : null;
      detail.appendChild(errorBox(err instanceof ApiError && err.message ? err.message : "任务加载失败，请稍后重试。", chips));
      return;
    }
    if (this.loading) await this.loading; // the unit's kind and counts come with the unit list
    if (token !== this.token) return;
    detail.removeAttribute("aria-busy");
    this.renderTasks(body, role);
  }

  renderTasks(body, role) {
    const { detail } = this.els;
    clear(detail);
    const unitName = body.unit;
    const tasks = Array.isArray(body.tasks) ? body.tasks : [];
    const info = (this.units || []).find((u) => u.name === unitName);
    const counts = [];
    if (info) counts.push(`牵头 ${info.lead} 项`, `负责 ${info.responsible} 项`);
    const documents = new Map();
    for (const t of tasks) {
      if (!documents.has(t.doc_id)) documents.set(t.doc_id, []);
      documents.get(t.doc_id).push(t);
    }
    const heading = h("h2", { class: "unit-title", tabindex: "-1" }, unitName);
    detail.appendChild(
      h(
        "header",
        { class: "unit-head" },
        heading,
        h(
          "p",
          { class: "unit-meta" },
          info ? h("span", { class: "tag" }, info.kind) : null,
          counts.length ? h("span", null, counts.join(" · ")) : null,
          info && info.aliases && info.aliases.length ? h("span", { class: "unit-aliases" }, "又称：" + info.aliases.slice(0, 4).join("、")) : null
        )
      )
    );

    const filter = h("div", { class: "role-filter", role: "group", "aria-label": "按角色筛选" });
    for (const r of ROLES) {
      const label = r ? ROLE_LABELS[r] : "全部";
      filter.appendChild(
        h("a", { class: "role-btn" + (r === role ? " active" : ""), href: unitHash(unitName, r), "aria-current": r === role ? "true" : null, dataset: { role: r } }, label)
      );
    }
    const exportLink = h(
      "a",
      { class: "btn btn-primary btn-small", id: "unit-export", href: tasksUrl(unitName, { role, format: "xlsx" }), download: "" },
      icon(DOWNLOAD_ICON),
      "导出 Excel"
    );
    detail.appendChild(h("div", { class: "unit-toolbar" }, filter, exportLink));
    detail.appendChild(h("p", { class: "unit-summary", role: "status" }, `${role ? ROLE_LABELS[role] : "全部"}任务 ${tasks.length} 项，涉及 ${documents.size} 个文件`));

    if (!tasks.length) {
      detail.appendChild(h("p", { class: "placeholder" }, "没有符合条件的任务。"));
      return;
    }
    const table = h(
      "table",
      { class: "task-table" },
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "任务"), h("th", { scope: "col" }, "角色"), h("th", { scope: "col" }, "共同承担单位"), h("th", { scope: "col" }, "完成时限")))
    );
    for (const [docId, items] of documents) {
      const first = items[0];
      const tbody = h("tbody", { class: "task-doc", dataset: { docId } });
      tbody.appendChild(
        h(
          "tr",
          { class: "task-doc-row" },
          h(
            "th",
            { scope: "colgroup", colspan: "4" },
            h("span", { class: "task-doc-title" }, first.title || first.doc_no || docId),
            h("span", { class: "task-doc-meta" }, [first.doc_no, first.date, `${items.length} 项`].filter(Boolean).join("  ·  "))
          )
        )
      );
      for (const t of items) tbody.appendChild(this.taskRow(t));
      table.appendChild(tbody);
    }
    detail.appendChild(table);
    heading.focus({ preventScroll: true });
  }

  taskRow(t) {
    const href = docHash(t.doc_id, t.chunk_id);
    const co = []
      .concat(Array.isArray(t.co_lead) ? t.co_lead.map((u) => u + "（牵头）") : [])
      .concat(Array.isArray(t.co_responsible) ? t.co_responsible : []);
    const row = h(
      "tr",
      { class: "task-row", dataset: { chunkId: t.chunk_id, role: t.role } },
      h("td", { class: "task-cell", "data-label": "任务" }, h("a", { class: "task-link", href }, t.task || t.section), h("span", { class: "task-section" }, t.section)),
      h("td", { class: "role-cell", "data-label": "角色" }, h("span", { class: `role-badge role-${t.role}` }, ROLE_LABELS[t.role] || t.role)),
      h("td", { class: "co-cell", "data-label": "共同承担" }, co.length ? co.join("、") : "—"),
      h("td", { class: "deadline-cell", "data-label": "完成时限" }, t.deadline || "—")
    );
    row.addEventListener("click", (e) => {
      if (e.target.closest("a")) return;
      location.hash = href;
    });
    return row;
  }
}
