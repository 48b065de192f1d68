// "Suggest tags" in the page editor: sends the draft's text to the tagger and ticks the
// sectors and risk types it finds. It never unticks anything: the editor decides.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.suggestUrl;

  function draftText(form) {
    var parts = [];
    form.querySelectorAll("#id_title, #id_standfirst, #id_summary, #id_description").forEach(
      function (field) { parts.push(field.value); }
    );
    form.querySelectorAll("[name^='body-'], [name^='show_notes-']").forEach(function (field) {
      if ((field.tagName === "TEXTAREA" || field.type === "text") && field.value) {
        parts.push(field.value);
      }
    });
    form.querySelectorAll(".public-DraftEditor-content").forEach(function (editor) {
      parts.push(editor.innerText);
    });
    return parts.join("\n\n");
  }

  function tick(form, name, ids) {
    ids.forEach(function (id) {
      var box = form.querySelector("input[name='" + name + "'][value='" + id + "']");
      if (box && !box.checked) {
        box.checked = true;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function describe(data) {
    var found = data.sectors.concat(data.risk_types);
    if (!found.length) {
      return "No sector or risk type found in the text.";
    }
    return "Suggested: " + found.map(function (slug) {
      var evidence = (data.evidence[slug] || []).map(function (item) {
        return "\u201c" + item.text + "\u201d";
      });
      return slug + (evidence.length ? " (" + evidence.slice(0, 3).join(", ") + ")" : "");
    }).join("; ") + ". Review the ticked boxes before saving.";
  }

  function setUp() {
    var first = document.querySelector("input[name='sectors'], input[name='risk_types']");
    if (!url || !first) {
      return;
    }
    var form = first.form;
    var anchor = first.closest("fieldset") || first.closest(".w-field") || first.parentNode;
    var wrapper = document.createElement("div");
    wrapper.className = "cirsite-suggest-tags";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-secondary button-small";
    button.textContent = "Suggest tags";
    var status = document.createElement("p");
    status.className = "help";
    status.setAttribute("role", "status");
    wrapper.appendChild(button);
    wrapper.appendChild(status);
    anchor.parentNode.insertBefore(wrapper, anchor);

    button.addEventListener("click", function () {
      var token = form.querySelector("input[name='csrfmiddlewaretoken']");
      var body = new FormData();
      body.append("text", draftText(form));
      button.disabled = true;
      status.textContent = "Reading the draft\u2026";
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      })
        .then(function (response) {
          return response.json().then(function (data) {
            if (!response.ok) {
              throw new Error(data.error || "The tagger did not answer.");
            }
            return data;
          });
        })
        .then(function (data) {
          tick(form, "sectors", data.sector_ids);
          tick(form, "risk_types", data.risk_type_ids);
          status.textContent = describe(data);
        })
        .catch(function (error) {
          status.textContent = error.message;
        })
        .finally(function () {
          button.disabled = false;
        });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
