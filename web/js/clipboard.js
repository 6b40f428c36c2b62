// Copy text. navigator.clipboard is often missing (or refused) inside WeChat
// web-views, so fall back to a hidden textarea + execCommand("copy").

function legacyCopy(text) {
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.setAttribute("aria-hidden", "true");
  ta.setAttribute("tabindex", "-1");
  ta.className = "clipboard-helper";
  document.body.appendChild(ta);
  const active = document.activeElement;
  let ok = false;
  try {
    ta.focus({ preventScroll: true });
    ta.select();
    ta.setSelectionRange(0, text.length); // iOS
    ok = document.execCommand("copy");
  } catch (_) {
    ok = false;
  }
  document.body.removeChild(ta);
  if (active && typeof active.focus === "function") {
    try {
      active.focus({ preventScroll: true });
    } catch (_) {
      /* ignore */
    }
  }
  return ok;
}

export async function copyText(text) {
  if (navigator.clipboard && typeof navigator.clipboard.writeText === "function" && window.isSecureContext !== false) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (_) {
      /* fall through */
    }
  }
  return legacyCopy(text);
}
