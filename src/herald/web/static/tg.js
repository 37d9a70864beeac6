// Herald reader inside Telegram, without Telegram's own script (the policy allows no
// outside requests). Telegram opens a web_app URL with launch parameters in the fragment:
// #tgWebAppData=…&tgWebAppVersion=…&tgWebAppThemeParams={"bg_color":"#…",…}
(function () {
  "use strict";
  var params = new URLSearchParams(location.hash.slice(1));
  var root = document.documentElement;

  function applyTheme(raw) {
    var theme;
    try { theme = JSON.parse(raw); } catch (e) { return; }
    if (!theme || typeof theme !== "object") return;
    Object.keys(theme).forEach(function (key) {
      var value = theme[key];
      if (/^[a-z_]{1,40}$/.test(key) && typeof value === "string" && /^#[0-9a-fA-F]{3,8}$/.test(value)) {
        // CSSOM writes are not inline style attributes: allowed under style-src 'self'
        root.style.setProperty("--tg-" + key.replace(/_/g, "-"), value);
      }
    });
    root.classList.add("tg");
    var bg = /^#([0-9a-fA-F]{6})$/.exec(theme.bg_color || "");
    if (bg) {
      var n = parseInt(bg[1], 16), r = n >> 16, g = (n >> 8) & 255, b = n & 255;
      root.classList.add((0.2126 * r + 0.7152 * g + 0.0722 * b) < 128 ? "theme-dark" : "theme-light");
    }
  }

  // The signed launch data tells the reader who is reading (their /language choice);
  // the server checks Telegram's signature and remembers the language in a cookie.
  function personalise(initData) {
    if (!window.fetch) return;
    fetch("/tg/session", { method: "POST", body: initData, credentials: "same-origin",
                           headers: { "Content-Type": "text/plain" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || !answer.lang || answer.lang === root.lang) return;
        // Once a tab: where the cookie cannot be kept (a frame without third-party
        // cookies) the page stays as it is rather than reload for ever.
        var tried = "herald-lang-" + answer.lang;
        try {
          if (sessionStorage.getItem(tried)) return;
          sessionStorage.setItem(tried, "1");
        } catch (e) { return; }
        location.reload();
      })
      .catch(function () {});
  }

  var theme = params.get("tgWebAppThemeParams");
  if (theme) applyTheme(theme);
  var initData = params.get("tgWebAppData");
  if (initData) personalise(initData);
})();
