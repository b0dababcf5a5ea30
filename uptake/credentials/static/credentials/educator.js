// The reflection's live word count (no inline scripts under the CSP). Words are counted
// as the server counts them (uptake.credentials.precheck.word_count): runs of letters,
// digits and apostrophes.
const WORD = /[\p{L}\p{M}\p{N}_\u2019']+/gu;

document.querySelectorAll("textarea[data-word-count]").forEach((area) => {
  const out = document.getElementById(area.dataset.wordCount);
  if (!out) return;
  const min = area.dataset.min ? parseInt(area.dataset.min, 10) : null;
  const max = area.dataset.max ? parseInt(area.dataset.max, 10) : null;
  const show = () => {
    const n = (area.value.match(WORD) || []).length;
    let text = `${n} word${n === 1 ? "" : "s"}`;
    if (min !== null && n < min) text += `: ${min - n} more to reach ${min}`;
    else if (max !== null && n > max) text += `: ${n - max} over the ${max} asked`;
    else if (min !== null || max !== null) text += ": within the length asked";
    out.textContent = text;
  };
  area.addEventListener("input", show);
  show();
});
