/* Material's inline content script as a file (CSP: no inline script): a link to a tab of
   tabbed content opens that tab. */
(function () {
  "use strict";
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.indexOf("__tabbed_") === 0;
})();
