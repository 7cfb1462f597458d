// PlanPerfect dashboard: live progress bars from the job streams (Server-Sent Events), charts.
// No build step: plain script over the server-rendered pages.
(function () {
  "use strict";
  var JOB_EVENTS = ["snapshot", "queued", "processing", "completed", "skipped", "waiting", "retry_scheduled", "error",
    "job_completed", "dead_lettered", "cancelled", "replayed", "priority_changed", "promoted", "swept", "result"];
  var FINISHED = { completed: true, failed: true, cancelled: true };

  function setBar(jobId, percent, status) {
    document.querySelectorAll('.progress[data-job="' + jobId + '"]').forEach(function (el) {
      el.querySelector(".bar").style.width = percent + "%";
      el.querySelector(".label").textContent = percent + "%";
      if (status) { el.dataset.status = status; }
    });
    if (status) {
      document.querySelectorAll('[data-job-status="' + jobId + '"]').forEach(function (el) {
        el.innerHTML = '<span class="tag ' + status + '">' + status + "</span>";
      });
      var row = document.querySelector('tr[data-row-job="' + jobId + '"] td.status');
      if (row) { row.innerHTML = '<span class="tag ' + status + '">' + status + "</span>"; }
    }
  }

  // One job (the generate page after submit, the job page): its own stream, which ends with the job.
  function followJob(el) {
    var jobId = el.dataset.liveJob;
    if (FINISHED[el.dataset.status] && el.querySelector(".bar").style.width === "100%") { return; }
    var source = new EventSource("/api/v1/jobs/" + jobId + "/stream");
    function onEvent(e) {
      var data = JSON.parse(e.data);
      if (e.type === "snapshot" || e.type === "result") {
        setBar(jobId, data.progress ? data.progress.percent : 0, data.status);
      } else if (data.progress) {
        setBar(jobId, data.progress.percent, data.progress.status);
      }
    }
    JOB_EVENTS.forEach(function (name) { source.addEventListener(name, onEvent); });
    source.addEventListener("end", function () { source.close(); });
  }

  // A list of jobs: with the service key, the stream of the rows' jobs tells which to re-read; the anon key
  // cannot open the whole feed, so it re-reads its unfinished rows every two seconds.
  function followList() {
    var bars = document.querySelectorAll(".progress[data-job]:not([data-live-job])");
    if (bars.length === 0) { return; }
    var onPage = {};
    bars.forEach(function (el) { onPage[el.dataset.job] = true; });
    var dirty = {};
    var timer = null;
    function refresh(ids) {
      if (ids.length === 0) { return; }
      fetch("/jobs/progress?ids=" + ids.join(","), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : {}; })
        .then(function (jobs) {
          Object.keys(jobs).forEach(function (id) {
            setBar(id, jobs[id].percent, jobs[id].status);
            var stage = document.querySelector('tr[data-row-job="' + id + '"] td.stage');
            if (stage) { stage.textContent = jobs[id].stage; }
          });
        });
    }
    function flush() { timer = null; var ids = Object.keys(dirty); dirty = {}; refresh(ids); }
    if (document.body.dataset.service === "true") {
      // why only the rows shown: the stream then carries these jobs' changes only, not every job's
      // (up to as many rows as the stream takes, the body's data-stream-jobs-max; a longer page follows every change)
      var ids = Object.keys(onPage);
      var max = Number(document.body.dataset.streamJobsMax) || 0;
      var source = new EventSource("/api/v1/stream" + (ids.length <= max ? "?jobs=" + ids.join(",") : ""));
      source.onopen = function () { document.body.dataset.feed = "open"; };
      var mark = function (e) {
        var data = JSON.parse(e.data);
        if (onPage[data.job_id]) { dirty[data.job_id] = true; if (!timer) { timer = setTimeout(flush, 250); } }
      };
      JOB_EVENTS.forEach(function (name) { source.addEventListener(name, mark); });
    } else {
      document.body.dataset.feed = "polling";
      setInterval(function () {
        var open = [];
        bars.forEach(function (el) { if (!FINISHED[el.dataset.status]) { open.push(el.dataset.job); } });
        refresh(open);
      }, 2000);
    }
  }

  function charts() {
    var throughput = document.getElementById("throughput-chart");
    var latency = document.getElementById("latency-chart");
    if (!throughput || !window.Chart) { return; }
    var made = {};
    function minute(row) { return row.minute.substring(11, 16); }
    function draw(id, canvas, labels, datasets) {
      if (made[id]) { made[id].data.labels = labels; made[id].data.datasets = datasets; made[id].update("none"); return; }
      made[id] = new Chart(canvas, { type: "line", data: { labels: labels, datasets: datasets },
        options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } } });
    }
    function load() {
      fetch("/overview/charts", { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
        draw("t", throughput, d.throughput.map(minute), [
          { label: "stages completed", data: d.throughput.map(function (r) { return r.stages_completed; }), borderColor: "#3056d3", tension: .2 },
          { label: "jobs completed", data: d.throughput.map(function (r) { return r.jobs_completed; }), borderColor: "#17b26a", tension: .2 }]);
        draw("l", latency, d.handoff.map(minute), [
          { label: "average", data: d.handoff.map(function (r) { return r.avg_ms; }), borderColor: "#3056d3", tension: .2 },
          { label: "max", data: d.handoff.map(function (r) { return r.max_ms; }), borderColor: "#f79009", tension: .2 }]);
      });
    }
    load();
    setInterval(load, 10000);
  }

  // The overview's table: re-read on each tick of /api/v1/ticks/stream, which says "changed" at most
  // every 300 ms while jobs change (the node coalesces the changes; the page takes none of them).
  // One read in flight at a time, and one more after it when a tick came in meanwhile.
  function followOverview() {
    var table = document.getElementById("overview");
    if (!table || document.body.dataset.service !== "true") { return; }
    var inFlight = false, again = false;
    var source = new EventSource("/api/v1/ticks/stream");
    source.onopen = function () { document.body.dataset.feed = "open"; };
    function refresh() {
      if (inFlight) { again = true; return; }
      inFlight = true;
      var done = function () {
        inFlight = false;
        if (again) { again = false; refresh(); }
      };
      htmx.ajax("GET", "/overview/table", { target: "#overview", swap: "innerHTML" }).then(done, done);
    }
    source.addEventListener("changed", refresh);
  }

  // A batch's counts: re-read the fragment when they moved (the batch's own stream, whose "progress"
  // events say so; it takes either key's session), one request in flight at a time and one more after it
  // when events came in meanwhile, until the batch has finished.
  function followBatch() {
    var section = document.getElementById("batch-counts");
    if (!section) { return; }
    var url = "/batches/" + section.dataset.batch + "/counts" + window.location.search;
    var inFlight = false, again = false, source = null;
    function finished() {
      var head = section.querySelector("[data-finished]");
      return head && head.dataset.finished === "true";
    }
    function stop() {
      if (source) { source.close(); source = null; }
      document.body.dataset.feed = "done";
    }
    function refresh() {
      if (inFlight) { again = true; return; }
      inFlight = true;
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html !== null) { section.innerHTML = html; } })
        .catch(function () { /* the next event tries again */ })
        .then(function () {
          inFlight = false;
          if (finished()) { stop(); } else if (again) { again = false; refresh(); }
        });
    }
    if (finished()) { return; }
    source = new EventSource("/api/v1/batches/" + section.dataset.batch + "/stream");
    // why refresh on open: a job may have ended between the page's render and the stream's start
    source.onopen = function () { document.body.dataset.feed = "open"; refresh(); };
    ["progress", "end"].forEach(function (name) { source.addEventListener(name, refresh); });
  }

  // Do not refresh the stages table while someone is typing in it.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var elt = e.detail.elt;
    if (elt && elt.id === "stages" && elt.contains(document.activeElement)) { e.preventDefault(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live-job]").forEach(followJob);
    followList();
    followOverview();
    followBatch();
    charts();
    var all = document.getElementById("select-all");
    if (all) {
      all.addEventListener("change", function () {
        document.querySelectorAll('input[name="ids"]').forEach(function (box) { box.checked = all.checked; });
      });
    }
  });
})();
