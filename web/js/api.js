// HTTP helpers for the qa-bot API. All endpoints return JSON; failures carry
// {"error": {"code": "...", "message": "中文信息"}}.

import { SSEParser } from "./sse.js";

// Failures that asking again can cure: the network, the stream, an overloaded or restarting server, a rate limit.
const RETRYABLE_CODES = [
  "network",
  "stream_interrupted",
  "empty_stream",
  "bad_response",
  "stream_error",
  "internal_error", // an `error` event in the middle of a stream (its HTTP status was 200)
  "index_loading",
  "index_not_ready",
  "rate_limited",
];

export class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.name = "ApiError";
    this.code = code || "error"; // for scripts and tests only: never shown to people
    this.status = status || 0;
  }

  /** Would the same request, sent again, have a chance? Not for a refused question (4xx). */
  get retryable() {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500 || RETRYABLE_CODES.indexOf(this.code) !== -1;
  }
}

const NETWORK_MESSAGE = "网络连接失败，请检查网络后重试。";

function httpMessage(status) {
  if (status === 404) return "请求的内容不存在（HTTP 404）。";
  if (status === 429) return "请求过于频繁，请稍后再试。";
  if (status >= 500) return `服务暂时不可用（HTTP ${status}），请稍后再试。`;
  return `请求失败（HTTP ${status}）。`;
}

/** Pull {"error": {...}} out of a parsed body, or null. */
function errorFromBody(body, status) {
  if (body && typeof body === "object" && body.error) {
    const e = body.error;
    if (typeof e === "string") return new ApiError(e, "error", status);
    if (typeof e === "object") {
      const err = new ApiError(e.message || httpMessage(status), e.code || "error", status);
      if (Array.isArray(e.closest)) err.closest = e.closest.filter((c) => typeof c === "string"); // unknown_unit
      return err;
    }
  }
  return null;
}

async function readJSON(res) {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch (_) {
    return undefined; // not JSON
  }
}

async function request(method, url, payload, signal) {
  const init = { method, headers: { Accept: "application/json" }, signal, credentials: "same-origin" };
  if (payload !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(payload);
  }
  let res;
  try {
    res = await fetch(url, init);
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError(NETWORK_MESSAGE, "network", 0);
  }
  const body = await readJSON(res).catch(() => undefined);
  if (!res.ok) {
    throw errorFromBody(body, res.status) || new ApiError(httpMessage(res.status), "http_" + res.status, res.status);
  }
  if (body === undefined) throw new ApiError("服务器返回的数据格式有误。", "bad_response", res.status);
  const err = errorFromBody(body, res.status);
  if (err) throw err;
  return body;
}

export const getJSON = (url, signal) => request("GET", url, undefined, signal);
export const postJSON = (url, payload, signal) => request("POST", url, payload, signal);

function parseData(data) {
  try {
    return JSON.parse(data);
  } catch (_) {
    return undefined;
  }
}

/**
 * Ask a question, streaming the answer.
 *   handlers.onDelta(text, part) — each piece of answer text; part "source" for the pieces of the trailing source
 * Resolves with the final ask body; rejects with ApiError (or AbortError).
 * Falls back to POST /api/ask when the stream endpoint is unavailable.
 */
export async function ask(payload, handlers, signal) {
  const onDelta = (handlers && handlers.onDelta) || (() => {});
  let res;
  try {
    res = await fetch("/api/ask/stream", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(payload),
      signal,
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    // Stream endpoint unreachable: try the plain endpoint once.
    return postJSON("/api/ask", payload, signal);
  }

  if (!res.ok) {
    const body = await readJSON(res).catch(() => undefined);
    const err = errorFromBody(body, res.status);
    // 404/405/501: the stream route itself is missing — use the plain endpoint.
    // Any other error body is a real answer (bad question, rate limit…).
    if (err && [404, 405, 501].indexOf(res.status) === -1) throw err;
    return postJSON("/api/ask", payload, signal);
  }

  const ctype = (res.headers.get("Content-Type") || "").toLowerCase();
  if (ctype.indexOf("text/event-stream") === -1) {
    // Some proxies / servers answer with the plain JSON body.
    const body = await readJSON(res);
    const err = errorFromBody(body, res.status);
    if (err) throw err;
    if (body && typeof body === "object" && typeof body.answer === "string") return body;
    return postJSON("/api/ask", payload, signal);
  }

  let final = null;
  let failure = null;
  let streamed = "";
  const parser = new SSEParser((evt) => {
    if (final || failure) return;
    const data = parseData(evt.data);
    if (evt.event === "delta") {
      const piece = data && typeof data === "object" ? data.text : typeof data === "string" ? data : evt.data;
      const part = data && typeof data === "object" && typeof data.part === "string" ? data.part : null;
      if (piece) {
        streamed += piece;
        onDelta(String(piece), part);
      }
    } else if (evt.event === "done") {
      if (data && typeof data === "object") final = data;
      else failure = new ApiError("服务器返回的数据格式有误。", "bad_response", res.status);
    } else if (evt.event === "error") {
      failure =
        errorFromBody(data, res.status) ||
        new ApiError((data && data.message) || "生成回答时出错，请稍后重试。", (data && data.code) || "stream_error", res.status);
    }
  });

  if (res.body && typeof res.body.getReader === "function") {
    const reader = res.body.getReader();
    const decoder = new TextDecoder("utf-8");
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
        if (final || failure) break;
      }
      if (!final && !failure) {
        parser.feed(decoder.decode());
        parser.end();
      }
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
      if (!final && !failure) failure = new ApiError("连接中断，回答可能不完整。", "stream_interrupted", res.status);
    } finally {
      if (final || failure) reader.cancel().catch(() => {});
    }
  } else {
    // No streaming body (very old web-view): read it all at once.
    parser.feed(await res.text());
    parser.end();
  }

  if (failure) {
    failure.partial = streamed;
    throw failure;
  }
  if (final) return final;
  if (streamed) {
    // Stream ended without a "done" event: keep what we have.
    return { answer: streamed, found: true, citations: [], incomplete: true };
  }
  throw new ApiError("服务器未返回回答，请稍后重试。", "empty_stream", res.status);
}
