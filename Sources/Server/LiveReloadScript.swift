/// The browser side of live reload: a `<script>` that listens on `/events`.
///
/// Event contract (what the daemon publishes through ``EventBroadcaster``):
/// - `changed` with JSON `{"site": "NAME", "urls": ["/a/", ...]}`: pages that were
///   rebuilt. The page reloads when its own URL (`/sites/NAME` + url) is listed,
///   when `urls` is empty or missing, or when a listed URL is not HTML (CSS, images).
/// - `reload`: every page reloads.
/// - `build-failed`: pages of a site named in the event data reload (to show the error overlay).
/// - `build-finished`: reloads pages showing the overlay (`#unjucksd-error-overlay`), or that
///   opted in with `data-reload-on-build` on `<body>`.
public enum LiveReloadScript {
    /// The snippet to inject before `</body>`; `eventsPath` is where the SSE endpoint lives.
    public static func snippet(eventsPath: String = "/events") -> String {
        """
        <script data-unjucksd-live-reload>
        (function () {
          if (!window.EventSource || window.__unjucksdLiveReload) return;
          window.__unjucksdLiveReload = true;
          var source = new EventSource(\(jsString(eventsPath)));
          function normalize(path) { return path.replace(/index\\.html$/, "").replace(/\\/?$/, "/"); }
          var here = normalize(location.pathname);
          function reload() { source.close(); location.reload(); }
          source.addEventListener("changed", function (event) {
            var info;
            try { info = JSON.parse(event.data); } catch (e) { info = { urls: [event.data] }; }
            var urls = info.urls || (info.url ? [info.url] : []);
            if (urls.length === 0) return reload();
            var prefix = info.site ? "/sites/" + info.site : "";
            for (var i = 0; i < urls.length; i++) {
              var url = urls[i];
              if (!/(\\/|\\.html?)$/.test(url)) return reload();
              if (normalize(prefix + url) === here || normalize(url) === here) return reload();
            }
          });
          source.addEventListener("reload", reload);
          var siteMatch = location.pathname.match(/^\\/sites\\/([^\\/]+)\\//);
          var siteName = siteMatch ? decodeURIComponent(siteMatch[1]) : null;
          source.addEventListener("build-failed", function (event) {
            if (!siteName || String(event.data).indexOf(JSON.stringify(siteName)) >= 0) reload();
          });
          source.addEventListener("build-finished", function () {
            if (document.getElementById("unjucksd-error-overlay") ||
                (document.body && document.body.hasAttribute("data-reload-on-build"))) reload();
          });
        })();
        </script>
        """
    }

    /// A JavaScript string literal for `text`.
    static func jsString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<": out += "\\u003c"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
