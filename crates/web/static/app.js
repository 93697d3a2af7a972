// Xiao'an: small enhancements only; every page works without this script.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const question = button && button.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

// A print button: the page's own print styles make an A4 sheet.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) window.print();
});

// Drafts: a form marked data-draft keeps what is typed in this browser as it is typed, so a
// dropped network or a closed tab loses nothing; the page after a successful save clears it.
// (Files cannot be kept; they are chosen again.)
(() => {
  const form = document.querySelector("form[data-draft]");
  if (form) {
    const key = "xiaoan-draft:" + form.dataset.draft;
    const saved = JSON.parse(localStorage.getItem(key) || "null");
    const refused = document.querySelector(".error-summary");
    if (saved && !refused) {
      for (const [name, value] of Object.entries(saved)) {
        for (const field of form.elements) {
          if (field.name !== name || field.type === "file" || field.type === "hidden") continue;
          if (field.type === "radio" || field.type === "checkbox") field.checked = field.value === value;
          else field.value = value;
        }
      }
      const note = document.getElementById("draft-restored");
      if (note) note.hidden = false;
    }
    const save = () => {
      const data = {};
      for (const field of form.elements) {
        if (!field.name || field.type === "file" || field.type === "hidden") continue;
        if ((field.type === "radio" || field.type === "checkbox") && !field.checked) continue;
        data[field.name] = field.value;
      }
      localStorage.setItem(key, JSON.stringify(data));
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  }
  for (const done of document.querySelectorAll("[data-draft-clear]")) {
    localStorage.removeItem("xiaoan-draft:" + done.dataset.draftClear);
  }
})();

// A refused form: the summary names each field by its label and takes the focus, so a
// screen reader reads what to fix first; its links move to the fields.
(() => {
  const colon = document.documentElement.lang.startsWith("zh") ? "：" : ": ";
  for (const link of document.querySelectorAll(".error-summary a[data-field]")) {
    const field = document.getElementById(link.hash.slice(1));
    const label = field && (field.labels?.[0] || field.querySelector("legend"));
    if (label) link.textContent = label.textContent.replace(/\s*\*$/, "").trim() + colon + link.textContent;
  }
  const summary = document.querySelector(".error-summary[tabindex='-1']");
  if (summary) summary.focus();
})();
