// Small progressive enhancements; every page works without this file.
// - [data-copy]: a "copy" button beside selectable text (the button's label is in data-copy,
//   the text to copy in data-copy-text).
// - form[data-progress]: a form is sent once only (a second click or Enter does nothing), and
//   when it carries a file, the upload shows its progress; the answer then replaces the page
//   as a normal submission would.
(function () {
  "use strict";

  document.querySelectorAll("[data-copy]").forEach(function (el) {
    if (!navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = el.getAttribute("data-copy");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(el.getAttribute("data-copy-text")).then(function () {
        button.textContent = el.getAttribute("data-copied");
      });
    });
    el.appendChild(document.createTextNode(" "));
    el.appendChild(button);
  });

  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    var sending = false;
    window.addEventListener("pageshow", function () {
      sending = false;
    });
    form.addEventListener("submit", function (event) {
      if (sending) {
        event.preventDefault();
        return;
      }
      sending = true;
      var file = form.querySelector("input[type=file]");
      if (!file || !file.files || file.files.length === 0 || !window.FormData) return;
      event.preventDefault();
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      var label = document.createElement("p");
      label.setAttribute("role", "status");
      label.textContent = form.getAttribute("data-progress");
      label.appendChild(document.createTextNode(" "));
      label.appendChild(bar);
      form.appendChild(label);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round((e.loaded * 100) / e.total);
      });
      xhr.addEventListener("load", function () {
        if (xhr.status < 400 && xhr.responseURL && xhr.responseURL !== form.action) {
          window.location.assign(xhr.responseURL);
        } else {
          document.open();
          document.write(xhr.responseText);
          document.close();
        }
      });
      xhr.addEventListener("error", function () {
        // The network failed: send the form the plain way, which shows the browser's message.
        sending = false;
        label.remove();
        HTMLFormElement.prototype.submit.call(form);
      });
      xhr.send(new FormData(form));
    });
  });
})();
