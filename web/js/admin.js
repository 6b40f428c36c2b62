// 公报文件管理：上传、解析报告、删除、重建索引（管理密钥放在 sessionStorage，只随本标签页保存）。
const KEY = "qa-bot-admin-key";
const API = "api/admin/corpus";
const FORMATS = { text: "文本", pdf: "PDF", docx: "Word", html: "网页" };
const $ = (selector) => document.querySelector(selector);

function adminKey() {
  return sessionStorage.getItem(KEY) || "";
}

async function call(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { ...(options.headers || {}), "X-Admin-Key": adminKey() } });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = body && body.error ? body.error.message : `请求失败（${response.status}）`;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return body;
}

function sizeText(bytes) {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function showError(message) {
  const box = $("#error");
  box.textContent = message || "";
  box.hidden = !message;
}

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

function renderFiles(files) {
  const body = $("#files tbody");
  body.replaceChildren();
  for (const file of files) {
    const row = document.createElement("tr");
    row.dataset.file = file.path;
    cell(row, file.path, "name");
    cell(row, FORMATS[file.format] || file.format || "—");
    if (file.error) {
      const td = cell(row, `未能解析${file.error_line ? `（第 ${file.error_line} 行）` : ""}：${file.error}`, "failed");
      td.colSpan = 5;
    } else {
      cell(row, String(file.documents), "num");
      cell(row, String(file.clauses), "num");
      cell(row, String(file.notes), "num");
      cell(row, String(file.tables), "num");
      const warnings = cell(row, "");
      if (file.warnings.length) {
        const list = document.createElement("ul");
        list.className = "warnings";
        for (const warning of file.warnings) {
          const item = document.createElement("li");
          item.textContent = `第 ${warning.line ?? "?"} 行：${warning.message}`;
          list.append(item);
        }
        warnings.append(list);
      } else {
        warnings.textContent = file.reprints && file.reprints.length ? `重复收录 ${file.reprints.length} 份（只索引一次）` : "无";
        warnings.className = "none";
      }
    }
    const actions = cell(row, "");
    if (file.removable) {
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.textContent = "删除";
      remove.setAttribute("aria-label", `删除 ${file.path}`);
      remove.addEventListener("click", () => removeFile(file.path));
      actions.append(remove);
    }
    body.append(row);
  }
}

const STATES = { idle: "索引未改动", building: "正在后台重建索引…（旧索引照常回答）", done: "索引已更新", failed: "重建失败" };

function renderBuild(build) {
  const state = $("#build-state");
  state.dataset.state = build.state;
  let text = STATES[build.state] || build.state;
  if (build.state === "done" && build.serving_build_id) text += `（${build.serving_build_id}）`;
  if (build.state === "failed" && build.error) text += `：${build.error}`;
  state.textContent = text;
  $("#rebuild").disabled = build.state === "building";
}

let polling = null;

async function refresh() {
  const data = await call(API);
  $("#max-size").textContent = sizeText(data.max_upload_bytes);
  renderFiles(data.files);
  renderBuild(data.build);
  if (data.build.state === "building" && !polling) {
    polling = setInterval(pollBuild, 1000);
  }
}

async function pollBuild() {
  try {
    const { build } = await call(`${API}/build`);
    renderBuild(build);
    if (build.state !== "building") {
      clearInterval(polling);
      polling = null;
      await refresh();
    }
  } catch (error) {
    showError(error.message);
  }
}

function reportLine(name, report, failure) {
  const item = document.createElement("li");
  if (failure) {
    item.className = "bad";
    item.textContent = `${name}：${failure}`;
  } else {
    const warnings = report.warnings.length ? `，${report.warnings.length} 条警告` : "";
    item.textContent = `${name}：已添加，${report.documents} 份文件，${report.clauses} 条条款，${report.notes} 条含责任单位，${report.tables} 张表格${warnings}`;
  }
  $("#upload-results").append(item);
}

async function upload(event) {
  event.preventDefault();
  showError("");
  const input = $("#file");
  const replace = $("#replace").checked;
  $("#upload").disabled = true;
  $("#upload-results").replaceChildren();
  try {
    for (const file of input.files) {
      const form = new FormData();
      form.append("file", file, file.name);
      try {
        const body = await call(`${API}?replace=${replace}`, { method: "POST", body: form });
        reportLine(file.name, body.file, null);
      } catch (error) {
        reportLine(file.name, null, error.message);
      }
    }
    input.value = "";
    await refresh();
  } finally {
    $("#upload").disabled = false;
  }
}

async function removeFile(name) {
  if (!window.confirm(`确定从语料中删除“${name}”并重建索引吗？`)) return;
  try {
    await call(`${API}/${encodeURIComponent(name)}`, { method: "DELETE" });
    await refresh();
  } catch (error) {
    showError(error.message);
  }
}

async function rebuild() {
  try {
    await call(`${API}/rebuild`, { method: "POST" });
    await refresh();
  } catch (error) {
    showError(error.message);
  }
}

async function enter(event) {
  if (event) event.preventDefault();
  const typed = $("#admin-key").value.trim();
  if (typed) sessionStorage.setItem(KEY, typed);
  try {
    await refresh();
    showError("");
    $("#login").hidden = true;
    $("#admin").hidden = false;
  } catch (error) {
    if (error.status === 401 || error.status === 403) sessionStorage.removeItem(KEY);
    showError(error.message);
  }
}

$("#key-form").addEventListener("submit", enter);
$("#upload-form").addEventListener("submit", upload);
$("#rebuild").addEventListener("click", rebuild);
if (adminKey()) enter();
