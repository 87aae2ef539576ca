// Runs first: records script errors on <html data-js-errors> so headless tests can read them.
(function () {
  "use strict";
  var root = document.documentElement;
  function record(message) {
    var previous = root.getAttribute("data-js-errors");
    root.setAttribute("data-js-errors", (previous ? previous + " | " : "") + String(message));
  }
  window.addEventListener("error", function (event) {
    record((event.message || "error") + " at line " + (event.lineno || 0));
  });
  window.addEventListener("unhandledrejection", function (event) {
    record("unhandled rejection: " + event.reason);
  });
  var consoleError = window.console && window.console.error;
  if (consoleError) {
    window.console.error = function () {
      record(Array.prototype.join.call(arguments, " "));
      return consoleError.apply(window.console, arguments);
    };
  }
})();
