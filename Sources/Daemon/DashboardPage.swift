/// `GET /dashboard`: one self-contained page (no external assets) for
/// people. It polls `/status` every second, listens to `/events`, and draws
/// build times, memory and HTTP latency as SVG charts.
enum DashboardPage {
    static let html = """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
    <title>unjucksd dashboard</title>
    <style>
    :root{--bg:#0f1115;--panel:#181b22;--text:#e6e8ee;--muted:#8b93a7;--ok:#4ade80;--warn:#facc15;--bad:#f87171;--accent:#60a5fa}
    *{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--text);font:14px/1.45 system-ui,sans-serif}
    header{display:flex;align-items:center;gap:14px;padding:14px 22px;border-bottom:1px solid #262a35}
    header h1{font-size:18px;margin:0}.pill{padding:2px 10px;border-radius:999px;font-size:12px;background:#262a35}
    .ok{color:var(--ok)}.warn{color:var(--warn)}.bad{color:var(--bad)}
    main{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:14px;padding:18px 22px}
    section{background:var(--panel);border-radius:10px;padding:14px 16px}section h2{margin:0 0 10px;font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
    .big{font-size:26px;font-weight:600}.row{display:flex;justify-content:space-between;gap:8px;border-bottom:1px solid #222632;padding:3px 0}
    .row span:first-child{color:var(--muted)}svg{width:100%;height:90px;display:block;margin-top:8px}
    table{width:100%;border-collapse:collapse;font-size:13px}td,th{text-align:left;padding:3px 4px;border-bottom:1px solid #222632}th{color:var(--muted);font-weight:500}
    a{color:var(--accent)}pre{white-space:pre-wrap;background:#0b0d11;padding:8px;border-radius:6px;font-size:12px;max-height:220px;overflow:auto}
    #log{font:12px ui-monospace,monospace;max-height:180px;overflow:auto}
    </style></head><body>
    <header><h1>unjucksd</h1><span id="version" class="pill"></span><span id="ready" class="pill">…</span>
    <span id="building" class="pill"></span><span style="flex:1"></span><span id="uptime" class="pill"></span></header>
    <main>
    <section><h2>Last build</h2><div class="big" id="lastSeconds">–</div>
    <div class="row"><span>trigger</span><span id="lastTrigger">–</span></div>
    <div class="row"><span>pages rendered / cached / up to date</span><span id="lastPages">–</span></div>
    <div class="row"><span>errors</span><span id="lastErrors">–</span></div>
    <div class="row"><span>change → output</span><span id="lastLatency">–</span></div>
    <svg id="buildChart" viewBox="0 0 300 90" preserveAspectRatio="none"></svg><div class="row"><span>build time, last 60 builds</span><span id="buildMax"></span></div>
    <pre id="errors" hidden></pre></section>
    <section><h2>Memory</h2><div class="big" id="rss">–</div>
    <div class="row"><span>limit</span><span id="limit">–</span></div>
    <div class="row"><span>pressure</span><span id="pressure">–</span></div>
    <div class="row"><span>workers busy / granted / max</span><span id="workers">–</span></div>
    <div class="row"><span>queue depth</span><span id="queue">–</span></div>
    <svg id="memChart" viewBox="0 0 300 90" preserveAspectRatio="none"></svg><div class="row"><span>resident memory, last 2 minutes</span><span id="memMax"></span></div></section>
    <section><h2>Cache</h2><table><thead><tr><th>tier</th><th>hits</th><th>misses</th><th>errors</th><th>bytes</th><th>hit ratio</th></tr></thead><tbody id="cache"></tbody></table>
    <div class="row"><span>redis circuit</span><span id="circuit">–</span></div>
    <svg id="hitChart" viewBox="0 0 300 90" preserveAspectRatio="none"></svg><div class="row"><span>memory-tier hit ratio</span><span></span></div></section>
    <section><h2>HTTP latency</h2><div class="big" id="p50">–</div>
    <div class="row"><span>p95 / p99</span><span id="p9x">–</span></div>
    <div class="row"><span>requests</span><span id="requests">–</span></div>
    <div class="row"><span>open connections / event clients</span><span id="conns">–</span></div>
    <svg id="latChart" viewBox="0 0 300 90" preserveAspectRatio="none"></svg><div class="row"><span>p50 (blue) and p99 (yellow), ms</span><span id="latMax"></span></div></section>
    <section><h2>Sites</h2><table><thead><tr><th>site</th><th>pages</th><th>state</th></tr></thead><tbody id="sites"></tbody></table></section>
    <section><h2>Events</h2><div id="log"></div></section>
    </main>
    <script>
    (function () {
      var history = { rss: [], hit: [], p50: [], p99: [] };
      function $(id) { return document.getElementById(id); }
      function bytes(n) { if (n == null) return "none"; var u = ["B","KiB","MiB","GiB"], i = 0; while (n >= 1024 && i < 3) { n /= 1024; i++; } return n.toFixed(i ? 1 : 0) + " " + u[i]; }
      function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return {"&":"&amp;","<":"&lt;",">":"&gt;","\\"":"&quot;"}[c]; }); }
      function push(list, v) { list.push(v); if (list.length > 120) list.shift(); }
      function chart(id, series, colors) {
        var max = 0; series.forEach(function (s) { s.forEach(function (v) { if (v > max) max = v; }); });
        if (max <= 0) max = 1;
        var svg = "";
        series.forEach(function (s, k) {
          if (!s.length) return;
          if (s.length === 1) s = [s[0], s[0]];
          var step = s.length > 1 ? 300 / (s.length - 1) : 300, pts = s.map(function (v, i) { return (i * step).toFixed(1) + "," + (88 - v / max * 84).toFixed(1); });
          svg += '<polyline fill="none" stroke="' + colors[k] + '" stroke-width="2" vector-effect="non-scaling-stroke" points="' + pts.join(" ") + '"/>';
        });
        $(id).innerHTML = '<line x1="0" y1="88" x2="300" y2="88" stroke="#333"/>' + svg;
        return max;
      }
      function bars(id, values) {
        var max = Math.max.apply(null, values.concat([0.001])), w = 300 / Math.max(values.length, 1), svg = "";
        values.forEach(function (v, i) { var h = v / max * 84; svg += '<rect x="' + (i * w + 1).toFixed(1) + '" y="' + (88 - h).toFixed(1) + '" width="' + Math.max(w - 2, 1).toFixed(1) + '" height="' + h.toFixed(1) + '" fill="#60a5fa"/>'; });
        $(id).innerHTML = svg;
        return max;
      }
      function render(s) {
        $("version").textContent = "v" + s.version;
        $("ready").textContent = s.ready ? "ready" : "not ready"; $("ready").className = "pill " + (s.ready ? "ok" : "bad");
        $("building").textContent = s.building ? "building (" + s.buildingTrigger + ")…" : "idle";
        $("uptime").textContent = "up " + Math.round(s.uptime) + " s";
        var b = s.lastBuild;
        if (b) {
          $("lastSeconds").textContent = (b.seconds * 1000).toFixed(1) + " ms";
          $("lastTrigger").textContent = "#" + b.number + " " + b.trigger;
          $("lastPages").textContent = b.rendered + " / " + b.cached + " / " + b.skipped + " of " + b.pages;
          $("lastErrors").innerHTML = b.failed ? '<span class="bad">' + b.failed + "</span>" : '<span class="ok">0</span>';
          $("lastLatency").textContent = b.latencyMilliseconds != null ? b.latencyMilliseconds.toFixed(1) + " ms" : "–";
          var pre = $("errors");
          pre.hidden = !b.errors.length;
          pre.textContent = b.errors.map(function (e) { return e.file + ":" + e.line + ":" + e.column + ": " + e.message + (e.detail ? "\\n" + e.detail : ""); }).join("\\n\\n");
        }
        $("buildMax").textContent = "max " + (bars("buildChart", s.recentBuilds.map(function (r) { return r.seconds * 1000; })).toFixed(1)) + " ms";
        $("rss").textContent = bytes(s.memory.rss);
        $("limit").textContent = bytes(s.memory.limit) + (s.memory.usage != null ? " (" + (s.memory.usage * 100).toFixed(0) + "% used)" : "");
        var p = s.memory.pressure; $("pressure").innerHTML = '<span class="' + (p === "normal" ? "ok" : p === "elevated" ? "warn" : "bad") + '">' + p + (s.memory.rebuildsPaused ? ", rebuilds paused" : "") + "</span>";
        $("workers").textContent = s.workers.busy + " / " + s.workers.limit + " / " + s.workers.max;
        $("queue").textContent = s.queueDepth;
        push(history.rss, s.memory.rss / 1048576);
        $("memMax").textContent = "max " + chart("memChart", [history.rss], ["#4ade80"]).toFixed(0) + " MiB";
        var rows = "";
        ["memory", "sqlite", "redis"].forEach(function (t) { var c = s.cache[t]; if (!c) return; rows += "<tr><td>" + t + "</td><td>" + c.hits + "</td><td>" + c.misses + "</td><td>" + c.errors + "</td><td>" + bytes(c.bytes) + "</td><td>" + (c.hitRatio * 100).toFixed(1) + "%</td></tr>"; });
        $("cache").innerHTML = rows;
        $("circuit").textContent = s.redis.configured ? s.redis.circuit : "not configured";
        push(history.hit, s.cache.memory ? s.cache.memory.hitRatio * 100 : 0); chart("hitChart", [history.hit], ["#a78bfa"]);
        $("p50").textContent = s.http.p50.toFixed(2) + " ms p50";
        $("p9x").textContent = s.http.p95.toFixed(2) + " / " + s.http.p99.toFixed(2) + " ms";
        $("requests").textContent = s.http.requests;
        $("conns").textContent = s.http.openConnections + " / " + s.http.eventClients;
        push(history.p50, s.http.p50); push(history.p99, s.http.p99);
        $("latMax").textContent = "max " + chart("latChart", [history.p50, history.p99], ["#60a5fa", "#facc15"]).toFixed(2) + " ms";
        $("sites").innerHTML = s.sites.map(function (site) { return '<tr><td><a href="' + esc(site.url) + '">' + esc(site.name) + "</a></td><td>" + site.pages + "</td><td>" + (site.failing ? '<span class="bad">' + site.errors + " error(s)</span>" : '<span class="ok">ok</span>') + "</td></tr>"; }).join("");
      }
      function poll() {
        fetch("/status", { cache: "no-store" }).then(function (r) { return r.json(); }).then(render).catch(function () { $("ready").textContent = "unreachable"; $("ready").className = "pill bad"; });
      }
      function log(text) { var d = document.createElement("div"); d.textContent = new Date().toLocaleTimeString() + "  " + text; var l = $("log"); l.insertBefore(d, l.firstChild); while (l.childNodes.length > 60) l.removeChild(l.lastChild); }
      if (window.EventSource) {
        var source = new EventSource("/events");
        ["build-started", "build-finished", "build-failed", "changed"].forEach(function (name) {
          source.addEventListener(name, function (e) {
            var d = {}; try { d = JSON.parse(e.data); } catch (x) {}
            if (name === "build-started") log("build started (" + d.trigger + ") " + (d.sites || []).join(", "));
            else if (name === "changed") log("changed in " + d.site + ": " + (d.urls && d.urls.length ? d.urls.slice(0, 5).join(" ") + (d.urls.length > 5 ? " …" : "") : "all pages"));
            else log(name + " #" + d.number + " in " + (d.seconds * 1000).toFixed(1) + " ms, " + d.rendered + " rendered, " + d.failed + " errors");
            if (name !== "build-started") poll();
          });
        });
      }
      poll(); setInterval(poll, 1000);
    })();
    </script></body></html>
    """
}
