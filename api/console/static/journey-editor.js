// The journey editor's check-as-you-type: a moment after the last keystroke, post the text area
// to the page's check URL (the loader's own validation on the server) and list the problems.
// Each problem's line is a button that puts the cursor on that line. Without this script the
// form's "Check and review changes" button gives the same list from the server.
(function () {
  "use strict";
  var form = document.getElementById("journey-editor");
  if (!form) return;
  var area = document.getElementById("yaml");
  var list = document.getElementById("problems");
  var status = document.getElementById("check-status");
  var url = form.getAttribute("data-check-url");
  var timer = null;
  var sent = 0;

  function goToLine(line) {
    var lines = area.value.split("\n");
    var at = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
    area.focus();
    area.setSelectionRange(at, at + (lines[line - 1] || "").length);
    var height = area.scrollHeight / Math.max(lines.length, 1);
    area.scrollTop = Math.max(0, (line - 3) * height);
  }

  function problemItem(p) {
    var item = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.setAttribute("data-line", p.line || "");
    button.textContent = p.line ? "line " + p.line : "file";
    item.appendChild(button);
    item.appendChild(document.createTextNode(" " + (p.field || "(file)") + ": " + p.message));
    return item;
  }

  function show(report) {
    while (list.firstChild) list.removeChild(list.firstChild);
    report.problems.forEach(function (p) { list.appendChild(problemItem(p)); });
    var n = report.problems.length;
    status.textContent = n ? n + (n === 1 ? " problem" : " problems") : "Valid: version " + report.version;
    status.className = n ? "error" : "ok";
  }

  function check() {
    var mine = ++sent;
    status.textContent = "Checking…";
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "text/plain; charset=utf-8" },
      body: area.value,
      credentials: "same-origin",
    }).then(function (response) {
      if (mine !== sent) return null; // a newer check is on its way
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (report) {
      if (report && mine === sent) show(report);
    }).catch(function (error) {
      if (mine === sent) {
        status.textContent = "Could not check (" + error.message + "): use the button below.";
        status.className = "error";
      }
    });
  }

  area.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
  list.addEventListener("click", function (event) {
    var line = parseInt(event.target.getAttribute("data-line"), 10);
    if (line) goToLine(line);
  });
})();
