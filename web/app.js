// qa-bot front end: entry point and hash router.
//   #/                          conversation
//   #/docs                      document list
//   #/doc/<doc_id>?chunk=<id>   one document, scrolled to the cited clause
//   #/units                     units of the task ledger (search)
//   #/units/<name>?role=lead    one unit's tasks across all documents

import { Chat } from "./js/chat.js";
import { DocList, DocView, docHash } from "./js/docs.js";
import { UnitsView } from "./js/units.js";
import { prefersFinePointer } from "./js/dom.js";
import { History } from "./js/history.js";
import { ConversationStore } from "./js/store.js";

const $ = (id) => document.getElementById(id);

const views = {
  chat: { el: $("chat-view"), scroller: $("chat-scroller"), scroll: 0 },
  docs: { el: $("docs-view"), scroller: $("docs-scroller"), scroll: 0 },
  units: { el: $("units-view"), scroller: $("units-scroller"), scroll: 0 },
  doc: { el: $("doc-view"), scroller: $("doc-scroller"), scroll: 0 },
};

let current = null;
let navigations = 0; // hash changes since load: if > 0, "back" can use history.back()
let docOrigin = "chat";
let unitsHash = "#/units"; // the units view last shown: where "back" from a clause opened there returns
let returnFocus = null; // element to refocus when coming back to the conversation

let historyPanel = null;
const store = new ConversationStore(() => {
  if (historyPanel) historyPanel.render();
});

const chat = new Chat(
  {
    scroller: $("chat-scroller"),
    conversation: $("conversation"),
    emptyState: $("empty-state"),
    examples: $("examples"),
    examplesBlock: $("examples-block"),
    form: $("composer"),
    input: $("question"),
    send: $("send"),
    counter: $("char-count"),
    note: $("composer-note"),
    editBanner: $("edit-banner"),
    editCancel: $("edit-cancel"),
  },
  store,
  {
    onOpenCitation(citation, el) {
      if (citation.doc_id === undefined || citation.doc_id === null) return;
      returnFocus = el;
      location.hash = docHash(citation.doc_id, citation.chunk_id);
    },
    onChange() {
      if (historyPanel) historyPanel.render();
    },
  }
);

historyPanel = new History(
  {
    panel: $("history-panel"),
    list: $("history-list"),
    clearAll: $("history-clear"),
    toggle: $("history-toggle"),
    close: $("history-close"),
    backdrop: $("history-backdrop"),
  },
  store,
  {
    onOpen(id) {
      if (current !== "chat") location.hash = "#/";
      chat.open(id);
    },
    onClear() {
      store.clear();
      chat.reset();
    },
  }
);

$("new-chat").addEventListener("click", () => chat.reset());

const docList = new DocList({ list: $("doc-list"), filter: $("doc-filter"), count: $("doc-count") });

const unitsView = new UnitsView({
  search: $("unit-search"),
  form: $("unit-form"),
  list: $("unit-list"),
  detail: $("unit-detail"),
  count: $("unit-count"),
});

const docView = new DocView({
  view: $("doc-view"),
  scroller: $("doc-scroller"),
  content: $("doc-content"),
  backLabel: $("doc-back-label"),
  toolbarTitle: $("doc-toolbar-title"),
  jump: $("doc-jump"),
});

function parseHash() {
  let raw = location.hash.replace(/^#/, "");
  if (!raw || raw === "/") return { view: "chat" };
  let query = "";
  const q = raw.indexOf("?");
  if (q !== -1) {
    query = raw.slice(q + 1);
    raw = raw.slice(0, q);
  }
  if (raw === "/docs" || raw === "/docs/") return { view: "docs" };
  if (raw === "/units" || raw === "/units/") return { view: "units" };
  if (raw.indexOf("/units/") === 0) {
    let name = raw.slice(7);
    try {
      name = decodeURIComponent(name);
    } catch (_) {
      /* keep raw */
    }
    return { view: "units", unit: name, role: new URLSearchParams(query).get("role") || "" };
  }
  if (raw.indexOf("/doc/") === 0) {
    let docId = raw.slice(5);
    try {
      docId = decodeURIComponent(docId);
    } catch (_) {
      /* keep raw */
    }
    const params = new URLSearchParams(query);
    if (docId) return { view: "doc", docId, chunkId: params.get("chunk") };
  }
  return { view: "chat" };
}

function showView(name) {
  if (current === name) return false;
  const prev = current;
  if (prev) views[prev].scroll = views[prev].scroller.scrollTop;
  for (const key of Object.keys(views)) views[key].el.hidden = key !== name;
  document.body.dataset.view = name;
  current = name;
  if (name !== "doc") views[name].scroller.scrollTop = views[name].scroll;
  return prev;
}

function route() {
  const r = parseHash();
  const prev = current;
  if (r.view === "doc" && prev !== "doc") docOrigin = prev === "docs" || prev === "units" ? prev : "chat";
  if (r.view === "units") unitsHash = location.hash || "#/units";
  showView(r.view);
  $("nav-docs").classList.toggle("active", r.view === "docs");
  if (r.view === "docs") $("nav-docs").setAttribute("aria-current", "page");
  else $("nav-docs").removeAttribute("aria-current");
  $("nav-units").classList.toggle("active", r.view === "units");
  if (r.view === "units") $("nav-units").setAttribute("aria-current", "page");
  else $("nav-units").removeAttribute("aria-current");

  if (r.view === "chat") {
    document.title = "政府公报智能问答";
    if (prev && prev !== "chat") {
      if (returnFocus && returnFocus.isConnected) returnFocus.focus({ preventScroll: true });
      returnFocus = null;
    }
  } else if (r.view === "docs") {
    document.title = "文件列表 - 政府公报智能问答";
    docList.show();
    if (prev && prev !== "docs") $("docs-title").focus({ preventScroll: true });
  } else if (r.view === "units") {
    document.title = (r.unit ? r.unit + " - " : "") + "按单位查看 - 政府公报智能问答";
    unitsView.show(r.unit, r.role);
    if (prev && prev !== "units" && !r.unit) $("units-title").focus({ preventScroll: true });
  } else {
    document.title = "文件原文 - 政府公报智能问答";
    docView.setBackLabel(BACK_LABELS[docOrigin]);
    docView.show(r.docId, r.chunkId);
  }
}

const BACK_LABELS = { docs: "返回文件列表", units: "返回单位任务", chat: "返回对话" };

function docFallback() {
  return docOrigin === "docs" ? "#/docs" : docOrigin === "units" ? unitsHash : "#/";
}

function goBack(fallbackHash) {
  if (navigations > 0) history.back();
  else location.hash = fallbackHash;
}

window.addEventListener("hashchange", () => {
  navigations++;
  route();
});

$("nav-docs").addEventListener("click", () => {
  if (current !== "docs") location.hash = "#/docs";
});
$("nav-units").addEventListener("click", () => {
  if (location.hash !== "#/units") location.hash = "#/units";
});
$("docs-back").addEventListener("click", () => goBack("#/"));
$("units-back").addEventListener("click", () => goBack("#/"));
$("doc-back").addEventListener("click", () => goBack(docFallback()));

document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape" || current !== "doc" || e.defaultPrevented) return;
  const t = e.target;
  if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA")) return;
  goBack(docFallback());
});

// Skip link: focus the input without turning "#question" into a route.
document.querySelector(".skip-link").addEventListener("click", (e) => {
  e.preventDefault();
  if (current !== "chat") location.hash = "#/";
  $("question").focus();
});

route();
if (current === "chat" && prefersFinePointer()) $("question").focus({ preventScroll: true });
