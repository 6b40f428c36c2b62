// Tiny DOM helpers. Data only ever reaches the page through textContent,
// attribute values (setAttribute) and text nodes — never through HTML parsing.

/**
 * Create an element.
 *   h("div", { class: "a b", dataset: { chunkId: "x" }, type: "button" }, "text", child)
 * Children may be strings/numbers (become text nodes), nodes, arrays, or null/false (skipped).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const key of Object.keys(attrs)) {
      const value = attrs[key];
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") {
        el.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : String(value);
      } else if (key === "text") {
        el.textContent = String(value);
      } else if (key === "dataset") {
        for (const d of Object.keys(value)) {
          if (value[d] !== undefined && value[d] !== null) el.dataset[d] = String(value[d]);
        }
      } else if (key === "on") {
        for (const type of Object.keys(value)) el.addEventListener(type, value[type]);
      } else if (value === true) {
        el.setAttribute(key, "");
      } else {
        el.setAttribute(key, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
  return parent;
}

/** Remove all children (replaceChildren is missing in some older web-views). */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Small inline icon from a list of path "d" strings (24x24, stroked). */
export function icon(paths, cls) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", "icon" + (cls ? " " + cls : ""));
  for (const d of paths) {
    const p = document.createElementNS(SVG_NS, "path");
    p.setAttribute("d", d);
    svg.appendChild(p);
  }
  return svg;
}

export const ICONS = {
  thumbUp: ["M7 10v11", "M15 5.9 14 10h5.8a2 2 0 0 1 2 2.3l-1.4 7A2 2 0 0 1 18.4 21H7V10l4.3-7.2A1.8 1.8 0 0 1 15 5.9Z", "M3 10h4v11H3z"],
  thumbDown: ["M17 14V3", "M9 18.1 10 14H4.2a2 2 0 0 1-2-2.3l1.4-7A2 2 0 0 1 5.6 3H17v11l-4.3 7.2A1.8 1.8 0 0 1 9 18.1Z", "M21 14h-4V3h4z"],
  copy: ["M9 9h11v11H9z", "M5 15H4V4h11v1"],
  check: ["M5 12.5 10 17 19 7"],
  doc: ["M14 3H6v18h12V7z", "M14 3v4h4", "M9 12h6", "M9 16h6"],
  back: ["M15 5 8 12l7 7"],
  retry: ["M20 12a8 8 0 1 1-2.3-5.7", "M20 4v5h-5"],
  info: ["M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z", "M12 11v6", "M12 7.5v.5"],
  alert: ["M12 3 2 20h20z", "M12 10v4", "M12 17v.5"],
  chevron: ["M9 6l6 6-6 6"],
  expand: ["M6 9l6 6 6-6"],
  edit: ["M4 20h4L19 9l-4-4L4 16z", "M13.5 6.5l4 4"],
  history: ["M3 12a9 9 0 1 0 3-6.7", "M3 4v5h5", "M12 7v5l3 2"],
  close: ["M6 6l12 12", "M18 6 6 18"],
  trash: ["M4 7h16", "M9 7V4h6v3", "M6 7l1 13h10l1-13"],
};

/** Truncate to n characters (by code point) with an ellipsis. */
export function excerpt(text, n) {
  const s = String(text || "").replace(/\s+/g, " ").trim();
  const chars = Array.from(s);
  return chars.length > n ? chars.slice(0, n).join("") + "…" : s;
}

/** A value that may be a string or a list of strings, as display text. */
export function listText(v, sep) {
  if (Array.isArray(v)) return v.filter(Boolean).join(sep || "、");
  return v === undefined || v === null ? "" : String(v);
}

export function asList(v) {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined && String(x).trim() !== "").map(String);
  if (v === undefined || v === null || String(v).trim() === "") return [];
  return [String(v)];
}

export function prefersFinePointer() {
  return typeof window.matchMedia === "function" && window.matchMedia("(pointer: fine)").matches;
}
