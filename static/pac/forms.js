/* PAC's own script, beside htmx; a file of its own because the Content Security Policy forbids
   inline scripts (and htmx runs with allowEval off).

   1. After an htmx swap, the keyboard focus never falls back to <body>. A form opened in place
      takes it on its `autofocus` field (htmx does that); once it is saved or cancelled, the focus
      goes back to the control that stands for the item (its edit link, its tick or move button,
      the link that opened the form), or, when the item is gone (a deletion), to the heading of
      the nearest part of the page that is still there. The same rules serve every region.
   2. A plain (non-htmx) form is not posted twice by a double click (for ten seconds). Its button
      is never disabled: the browser must still read the name and value of the button clicked. */
(function () {
  "use strict";

  var requests = new WeakMap(); // what each request knew of the page before its swap

  function parse(url) {
    try {
      return new URL(url, document.baseURI);
    } catch (error) {
      return null; // a malformed address in the page: it matches nothing
    }
  }

  function here(url) {
    var parsed = parse(url);
    return parsed ? parsed.pathname + parsed.search : null;
  }

  function pathOf(url) {
    var parsed = parse(url);
    return parsed ? parsed.pathname : null;
  }

  function isUsable(element) {
    return element && element.isConnected && !element.disabled && element.getClientRects().length > 0;
  }

  function focusOn(element) {
    if (!element) {
      return false;
    }
    if (!element.matches("a[href], button, input, select, textarea, summary, [tabindex]")) {
      // A heading or a region takes the focus from the script only, never from Tab.
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
    return document.activeElement === element;
  }

  function firstUsable(elements, accept) {
    return Array.prototype.find.call(elements, function (element) {
      return isUsable(element) && (!accept || accept(element));
    });
  }

  function linkTo(scope, url, samePathOnly) {
    return firstUsable(scope.querySelectorAll("a[href]"), function (link) {
      var href = link.getAttribute("href");
      var wanted = samePathOnly ? pathOf(url) : here(url);
      return wanted !== null && (samePathOnly ? pathOf(href) : here(href)) === wanted;
    });
  }

  function headingOf(element) {
    return element.matches("h1, h2, h3, h4, h5, h6")
      ? element
      : element.querySelector("h1, h2, h3, h4, h5, h6") || element;
  }

  /* The control that stands, after the swap, for what the user acted on before it. */
  function successor(before, region) {
    var found = null;
    if (before.key) {
      found = firstUsable(region.querySelectorAll("[data-focus-key]"), function (element) {
        return element.getAttribute("data-focus-key") === before.key;
      });
    }
    if (!found && before.action) {
      // The same form again (a tick, a move): its button, the same direction first.
      var forms = Array.prototype.filter.call(region.querySelectorAll("form[action]"), function (form) {
        var wanted = here(before.action);
        return wanted !== null && here(form.getAttribute("action")) === wanted;
      });
      forms.sort(function (a, b) {
        return (directionOf(b) === before.direction) - (directionOf(a) === before.direction);
      });
      forms.some(function (form) {
        found = firstUsable(form.querySelectorAll("button, [type=submit]"));
        return found;
      });
      // The item's edit link (the form's own address), else the link that opened the form.
      found = found || linkTo(region, before.action) || (before.opener && linkTo(region, before.opener));
      found = found || linkTo(region, before.action, true);
    }
    if (!found && before.href) {
      found = linkTo(region, before.href);
    }
    if (!found) {
      // The item is gone: the nearest part of the page around it that is still there.
      before.ancestors.some(function (id) {
        var element = document.getElementById(id);
        found = element && element.isConnected ? headingOf(element) : null;
        return found;
      });
    }
    return found || headingOf(region);
  }

  function directionOf(form) {
    var field = form.querySelector("[name=direction]");
    return field ? field.value : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var trigger = event.detail.elt;
    var form = trigger.closest("form");
    var ancestors = [];
    for (var node = trigger; node && node !== document.body; node = node.parentElement) {
      if (node.id) {
        ancestors.push(node.id);
      }
    }
    requests.set(event.detail.xhr, {
      key: trigger.getAttribute("data-focus-key"),
      href: trigger.getAttribute("href"),
      action: form ? form.getAttribute("action") : null,
      direction: form ? directionOf(form) : null,
      opener: form ? form.getAttribute("data-opener") : null,
      isOpening: !form && trigger.matches("a[href]"),
      ancestors: ancestors,
      focused: document.activeElement,
    });
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var before = requests.get(event.detail.xhr);
    if (!before) {
      return; // handled already: a swap settles each of its elements
    }
    requests.delete(event.detail.xhr);
    var target = event.detail.target;
    var region = target && target.isConnected ? target : document.getElementById(target && target.id) || document.body;
    // Remember which link opened a form swapped in: saving or cancelling it comes back there.
    var opened = region.querySelector("form [autofocus]");
    if (opened) {
      var openedForm = opened.closest("form");
      var opener = before.isOpening ? before.href : before.opener;
      if (opener && !openedForm.hasAttribute("data-opener")) {
        openedForm.setAttribute("data-opener", opener);
      }
    }
    var active = document.activeElement;
    // A click between two controls (the second click of a double click on a button disabled
    // meanwhile) leaves the focus on a container around the region, <main> for one: lost too.
    if (active && active !== document.body && active.isConnected && !active.contains(region)) {
      return; // htmx focused the form's autofocus field, or the focus was never in the swap
    }
    focusOn(successor(before, region));
  });

  // A request that swapped nothing (refused, failed) gives back the focus its button lost.
  document.addEventListener("htmx:afterRequest", function (event) {
    var before = requests.get(event.detail.xhr);
    if (!before || event.detail.successful) {
      return;
    }
    requests.delete(event.detail.xhr);
    window.setTimeout(function () {
      if (document.activeElement === document.body && isUsable(before.focused)) {
        before.focused.focus();
      }
    }, 0);
  });

  // A plain form posts once; htmx forms are htmx's (hx-disabled-elt disables their button).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.hasAttribute("data-hx-post") || form.method !== "post") {
      return;
    }
    if (form.hasAttribute("data-submitting")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-submitting", "");
    // A post stopped on its way (the Stop button, a network error) leaves the page as it was:
    // after a while the form may be sent again (the server creates once whatever happens).
    window.setTimeout(function () {
      form.removeAttribute("data-submitting");
    }, 10000);
  });

  // A page brought back by the Back button may be posted again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-submitting]").forEach(function (form) {
        form.removeAttribute("data-submitting");
      });
    }
  });
})();
