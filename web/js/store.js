// Conversations kept in the browser (localStorage): what was asked, each reply, its feedback, and the conversation's
// session id and signed `context` — stored in one record, so a reload restores the visible conversation together
// with what a follow-up continues from, never one without the other. Bounded: MAX_CONVERSATIONS, MAX_TURNS each, and
// the oldest conversations give way when the browser's quota is reached. Without localStorage (some web-views,
// private mode) conversations live in memory for the page's lifetime only.

const KEY = "qa-bot.conversations";
const CURRENT_KEY = "qa-bot.current";
export const MAX_CONVERSATIONS = 20;
export const MAX_TURNS = 40;
const TITLE_CHARS = 40;

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
    return Array.from(b, (x) => (x < 16 ? "0" : "") + x.toString(16)).join("");
  }
  return "s-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12) + Math.random().toString(36).slice(2, 12);
}

function storage() {
  try {
    const s = window.localStorage;
    const probe = KEY + ".probe";
    s.setItem(probe, "1");
    s.removeItem(probe);
    return s;
  } catch (_) {
    return null;
  }
}

function valid(conversation) {
  return (
    conversation &&
    typeof conversation === "object" &&
    typeof conversation.id === "string" &&
    typeof conversation.session_id === "string" &&
    Array.isArray(conversation.turns)
  );
}

export class ConversationStore {
  /** @param {function} [onOutsideChange] called when another tab of the page changed the stored conversations */
  constructor(onOutsideChange) {
    this.storage = storage();
    this.conversations = this.read(); // newest first
    this.currentId = this.storage ? this.storage.getItem(CURRENT_KEY) : null;
    // Another tab wrote: take its list, so that this tab's next write does not drop what it added.
    window.addEventListener("storage", (e) => {
      if (e.key !== KEY && e.key !== null) return;
      const current = this.current();
      this.conversations = this.read();
      if (current && !this.conversations.some((c) => c.id === current.id) && current.turns.length === 0) this.conversations.unshift(current);
      if (onOutsideChange) onOutsideChange();
    });
  }

  read() {
    if (!this.storage) return [];
    try {
      const list = JSON.parse(this.storage.getItem(KEY) || "[]");
      return Array.isArray(list) ? list.filter(valid) : [];
    } catch (_) {
      return [];
    }
  }

  /** Write everything; when the quota is reached, drop the oldest conversations (never the current one) and retry. */
  write() {
    this.conversations = this.conversations.slice(0, MAX_CONVERSATIONS); // newest first: the oldest go
    if (!this.storage) return;
    for (;;) {
      try {
        this.storage.setItem(KEY, JSON.stringify(this.conversations));
        if (this.currentId) this.storage.setItem(CURRENT_KEY, this.currentId);
        else this.storage.removeItem(CURRENT_KEY);
        return;
      } catch (_) {
        const oldest = this.conversations.map((c) => c.id).reverse().find((id) => id !== this.currentId);
        if (oldest === undefined) {
          const current = this.current();
          if (current && current.turns.length > 1) current.turns.shift(); // one huge conversation: its oldest turns go
          else return; // nothing left to drop: keep it in memory only
        } else {
          this.conversations = this.conversations.filter((c) => c.id !== oldest);
        }
      }
    }
  }

  list() {
    return this.conversations.filter((c) => c.turns.length > 0);
  }

  current() {
    return this.conversations.find((c) => c.id === this.currentId) || null;
  }

  /** The current conversation, created (empty, not yet listed) when there is none. */
  ensureCurrent() {
    return this.current() || this.start();
  }

  start() {
    const conversation = { id: randomId(), title: "", updated: Date.now(), session_id: randomId(), context: null, turns: [] };
    this.conversations = this.conversations.filter((c) => c.turns.length > 0);
    this.conversations.unshift(conversation);
    this.currentId = conversation.id;
    this.write();
    return conversation;
  }

  open(id) {
    const conversation = this.conversations.find((c) => c.id === id);
    if (!conversation) return null;
    this.currentId = id;
    this.write();
    return conversation;
  }

  /** Save a changed conversation: newest first, title from its first question, turns bounded. */
  save(conversation) {
    conversation.updated = Date.now();
    if (conversation.turns.length > MAX_TURNS) conversation.turns = conversation.turns.slice(-MAX_TURNS);
    const first = conversation.turns[0];
    conversation.title = first ? Array.from(first.question).slice(0, TITLE_CHARS).join("") : "";
    this.conversations = [conversation].concat(this.conversations.filter((c) => c.id !== conversation.id));
    this.write();
  }

  remove(id) {
    this.conversations = this.conversations.filter((c) => c.id !== id);
    if (this.currentId === id) this.currentId = null;
    this.write();
  }

  clear() {
    this.conversations = [];
    this.currentId = null;
    this.write();
  }
}
