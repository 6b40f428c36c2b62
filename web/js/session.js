// Client-side conversation state kept in sessionStorage (per tab): the session id, and the signed `context` of the
// latest reply, sent back with the next question so that any server replica can answer a follow-up.

const KEY = "qa-bot.session_id";
const CONTEXT_KEY = "qa-bot.context";
let memory = null; // used when sessionStorage is unavailable (some web-views / private mode)
let contextMemory; // undefined: not read yet; null: none

function randomId() {
  const c = window.crypto;
  if (c && typeof c.randomUUID === "function") {
    try {
      return c.randomUUID();
    } catch (_) {
      /* insecure context */
    }
  }
  if (c && typeof c.getRandomValues === "function") {
    const b = new Uint8Array(16);
    c.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => (x < 16 ? "0" : "") + x.toString(16)).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return "s-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12) + Math.random().toString(36).slice(2, 12);
}

function store(id) {
  memory = id;
  try {
    window.sessionStorage.setItem(KEY, id);
  } catch (_) {
    /* ignore */
  }
  return id;
}

export function getSessionId() {
  if (memory) return memory;
  let id = null;
  try {
    id = window.sessionStorage.getItem(KEY);
  } catch (_) {
    id = null;
  }
  return store(id || randomId());
}

/** Adopt an id handed back by the server. */
export function setSessionId(id) {
  if (typeof id === "string" && id && id !== memory) store(id);
}

/** A new conversation: a new id and no context. */
export function newSessionId() {
  setContext(null);
  return store(randomId());
}

/** The context token of the latest reply, or null. */
export function getContext() {
  if (contextMemory !== undefined) return contextMemory;
  let token = null;
  try {
    token = window.sessionStorage.getItem(CONTEXT_KEY);
  } catch (_) {
    token = null;
  }
  contextMemory = typeof token === "string" && token ? token : null;
  return contextMemory;
}

/** Keep the context a reply handed back (a string), or forget it (null). */
export function setContext(token) {
  contextMemory = typeof token === "string" && token ? token : null;
  try {
    if (contextMemory) window.sessionStorage.setItem(CONTEXT_KEY, contextMemory);
    else window.sessionStorage.removeItem(CONTEXT_KEY);
  } catch (_) {
    /* ignore */
  }
}
