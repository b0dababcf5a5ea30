// The copy buttons beside a secret shown once: shown only where script runs (the text can
// always be selected by hand), they put the secret on the clipboard and say so.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  const status = document.querySelector(`[data-copied="${button.dataset.copy}"]`);
  if (!field || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      if (status) status.textContent = "Copied.";
    } catch (error) {
      field.select();
      if (status) status.textContent = "Select the text and copy it.";
    }
  });
});
