/* Loaded only by browsers without ES module support (script nomodule).
   Plain ES5 on purpose. */
(function () {
  function show() {
    var p = document.createElement("p");
    p.className = "legacy-notice";
    p.setAttribute("role", "alert");
    p.appendChild(document.createTextNode("当前浏览器版本过低，无法使用智能问答。请升级微信或使用新版浏览器打开。"));
    document.body.insertBefore(p, document.body.firstChild);
  }
  if (document.body) show();
  else document.addEventListener("DOMContentLoaded", show);
})();
