// Enhances the story's "Copy link" field with a button; without JavaScript the field
// itself can be selected and copied.
(function () {
    "use strict";
    document.querySelectorAll("[data-copy-from]").forEach(function (button) {
        var field = document.getElementById(button.getAttribute("data-copy-from"));
        var status = button.parentNode.querySelector("[role=status]");
        if (!field || !navigator.clipboard) {
            return;
        }
        button.hidden = false;
        button.addEventListener("click", function () {
            navigator.clipboard.writeText(field.value).then(
                function () { if (status) { status.textContent = "Link copied."; } },
                function () { field.select(); if (status) { status.textContent = "Press Ctrl+C to copy."; } }
            );
        });
    });
})();
