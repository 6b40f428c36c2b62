// Client-side conversation id kept in sessionStorage (per tab).

const KEY = "qa-bot.session_id";
let memory = null; // used when sessionStorage is unavailable (some web-views / private mode)

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

export function newSessionId() {
  return store(randomId());
}
