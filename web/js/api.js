// The chat page's side of the one client (./qabot.js): same-origin requests over fetch, and how the page takes an
// answer — a promise, an AbortSignal, and a stream cut short shown as an incomplete answer rather than an error.

import { ApiError, askStream, getJson, postJson } from "./qabot.js";

export { ApiError };

export const getJSON = (url) => getJson(url);
export const postJSON = (url, payload) => postJson(url, payload);

function abortError() {
  return typeof DOMException === "function" ? new DOMException("aborted", "AbortError") : Object.assign(new Error("aborted"), { name: "AbortError" });
}

/**
 * Ask a question, streaming the answer.
 *   payload: {question, top_k?, session_id?, context?}
 *   handlers.onDelta(text, part) — each piece of answer text; part "source" for the pieces of the trailing source
 * Resolves with the final ask body; rejects with ApiError (or AbortError once `signal` aborts).
 * The client falls back to POST /api/ask when the stream route is missing.
 */
export function ask(payload, handlers, signal) {
  const onDelta = (handlers && handlers.onDelta) || (() => {});
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) {
      reject(abortError());
      return;
    }
    let streamed = "";
    const request = askStream(payload, {
      onDelta: (piece, full, part) => {
        streamed = full;
        onDelta(piece, part);
      },
      onDone: resolve,
      onError: (err) => {
        // Text arrived but the stream ended without its `done` event: keep what was said, marked incomplete.
        if (err.code === "stream_incomplete" && streamed) resolve({ answer: streamed, found: true, citations: [], incomplete: true });
        else reject(err);
      },
    });
    if (signal) {
      signal.addEventListener("abort", () => {
        request.abort();
        reject(abortError());
      });
    }
  });
}
