/**
 * qa-bot's one JavaScript client, used by the chat page (as ES modules, over fetch) and by the WeChat mini-program
 * (web/miniprogram/lib/qabot.js and lib/qabot/, CommonJS copies made by `npm run sync-client`, over wx.request).
 * Edit these files (web/js/qabot.js, web/js/qabot/*.js), never the copies; a Node test fails while a copy is stale.
 *
 * - ask(options)                 -> Promise<body>           (POST {base}/api/ask)
 * - askStream(options, handlers) -> { abort() }             (POST {base}/api/ask/stream, SSE)
 * - createConversation(options)  -> { ask, askStream, reset, state }: keeps the session id and the
 *                                   signed follow-up `context` of each reply and sends them with the next
 *                                   question (so a follow-up works whichever server replica answers it)
 * - getJson(path, options)       -> Promise<body>           (GET {base}{path})
 * - postJson(path, payload, options) -> Promise<body|null>  (POST {base}{path})
 * - listUnits(options)           -> Promise<{units, references}>   (GET {base}/api/units)
 * - unitTasks(options)           -> Promise<{unit, tasks}>          (GET {base}/api/units/{unit}/tasks)
 *                                   options.unit (any alias), options.role ('lead'|'responsible'), options.doc;
 *                                   an unknown unit rejects with code 'unknown_unit' and err.closest (names)
 * - tasksByDocument(tasks)       -> [{doc_id, doc_no, title, date, tasks}] in document order
 * - ApiError                     -> every failure: message (Chinese, for people), code, status, retryable
 * - createUtf8Decoder()          -> streaming UTF-8 decoder (no TextDecoder needed)
 * - createSseParser(onEvent)     -> Server-Sent Events line/event parser
 * - fetchRequest(req)            -> the browser transport: wx.request's interface over fetch()
 *
 * options: {
 *   baseUrl | base : server base URL, e.g. "https://qa.example.gov.cn"; '' in a page (same origin)
 *   apiKey  | key  : optional API key, sent as "Authorization: Bearer <key>"
 *   question       : the question (required)
 *   topK           : optional top_k; left out, the server's default decides (CONTRACT: 5)
 *   sessionId      : optional session_id
 *   context        : optional context token from the previous reply (body.context), sent back as is
 *   timeout        : optional timeout in ms (a stream: 120000 unless set)
 *   transport      : optional wx.request-like function; default wx.request where `wx` exists, else fetchRequest
 * }
 *
 * ES5 inside (var, function, no optional chaining, no TextDecoder): it must run on old WeChat JS engines, in
 * browsers and in Node (tests mock the global `wx` or `fetch`). Only `import`/`export` lines are ES modules, and
 * only in the forms tools/sync-client.js turns into require()/module.exports.
 */

export { ApiError, parseRetryAfter } from './qabot/errors.js';
export { createUtf8Decoder, decodeUtf8 } from './qabot/utf8.js';
export { createSseParser } from './qabot/sse.js';
export { fetchRequest } from './qabot/transport.js';
export { getJson, postJson } from './qabot/http.js';
export { ask, askStream, _resetCapabilities } from './qabot/ask.js';
export { createConversation } from './qabot/conversation.js';
export { listUnits, unitTasks, tasksByDocument } from './qabot/ledger.js';
