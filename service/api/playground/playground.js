// The playground: sends the pasted article to this service's POST /v1/enrich and draws the answer.
// Plain JavaScript, no dependency, no build step. The API counts offsets in Unicode code points
// while JavaScript strings count UTF-16 units, so every slice goes through an array of code points.
"use strict";

(function () {
  const ENRICH_URL = "/v1/enrich";
  const SCHEMA_URL = "/schema/openapi.json";
  const EXAMPLES_URL = "/playground/examples.json";
  // Used when the OpenAPI document cannot be read; later options appear through the schema.
  const FALLBACK_OPTIONS = {
    summary_sentences: { type: "integer", minimum: 1, maximum: 10, default: 3 },
    max_topics: { type: "integer", minimum: 1, maximum: 17, default: 3 },
    max_keyphrases: { type: "integer", minimum: 1, maximum: 20, default: 10 },
  };
  const OPTION_LABELS = {
    summary_sentences: "Phrases du résumé",
    max_topics: "Thèmes (au plus)",
    max_keyphrases: "Mots-clés (au plus)",
    max_quotes: "Citations (au plus)",
  };
  const OPTION_ORDER = ["summary_sentences", "max_topics", "max_keyphrases", "max_quotes"];
  const LABELS = {
    PER: "personne",
    ORG: "organisation",
    LOC: "lieu",
    MISC: "divers",
  };
  const REASONS = {
    title: "titre répété dans la page",
    heading: "intertitre",
    navigation: "menu, fil d'Ariane",
    share: "boutons de partage",
    advertisement: "publicité",
    caption: "légende, crédit photo",
    related: "« Lire aussi », liens connexes",
    byline: "signature, date",
    author_bio: "biographie de l'auteur",
    engagement: "commentaires, newsletter",
    duplicate: "paragraphe répété",
  };
  const MARKUP = /<(?:!doctype|html|head|body|article|main|section|div|p|span|a|h[1-6]|br|ul|ol|li|figure|figcaption|nav|header|footer|aside|script|style|time|strong|em)\b[^<>]*>/i;

  const $ = (id) => document.getElementById(id);
  let busy = false;
  let lastRaw = "";
  let shownEntities = [];

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  // Code points, not UTF-16 units: "🇫🇷" is 2 code points and 4 units.
  function codePoints(text) {
    return Array.from(text);
  }

  function slice(cps, start, end) {
    return cps.slice(start, end).join("");
  }

  function fmt(value, digits) {
    return typeof value === "number" ? value.toFixed(digits) : "";
  }

  // ---- input side ------------------------------------------------------------------------

  function chosenFormat() {
    const picked = document.querySelector("input[name=format]:checked").value;
    if (picked !== "auto") return picked;
    return MARKUP.test($("text").value) ? "html" : "text";
  }

  function showDetected() {
    const auto = document.querySelector("input[name=format]:checked").value === "auto";
    const text = $("text").value;
    $("detected").textContent = auto && text.trim()
      ? `Format détecté : ${chosenFormat() === "html" ? "HTML" : "texte brut"}.`
      : "";
  }

  function resolveRef(doc, node) {
    let current = node;
    while (current && typeof current.$ref === "string") {
      const path = current.$ref.replace(/^#\//, "").split("/");
      current = path.reduce((at, key) => (at ? at[key] : undefined), doc);
    }
    return current;
  }

  async function optionSchema() {
    try {
      const response = await fetch(SCHEMA_URL, { headers: { Accept: "application/json" } });
      if (!response.ok) return FALLBACK_OPTIONS;
      const doc = await response.json();
      const body = resolveRef(doc, doc.paths[ENRICH_URL].post.requestBody.content["application/json"].schema);
      let options = resolveRef(doc, body.properties.options);
      if (options && Array.isArray(options.anyOf)) {
        options = resolveRef(doc, options.anyOf.find((s) => resolveRef(doc, s).type === "object"));
      }
      return options && options.properties ? options.properties : FALLBACK_OPTIONS;
    } catch (error) {
      return FALLBACK_OPTIONS;
    }
  }

  function optionLabel(name) {
    return OPTION_LABELS[name] || name.replace(/_/g, " ");
  }

  function buildOptions(properties) {
    const box = $("option-fields");
    box.replaceChildren();
    const names = Object.keys(properties).sort((a, b) => {
      const ia = OPTION_ORDER.indexOf(a);
      const ib = OPTION_ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
    });
    for (const name of names) {
      const spec = properties[name];
      const id = `opt-${name}`;
      const helpId = `${id}-help`;
      let input;
      let help = "";
      if (spec.type === "boolean") {
        input = el("select", { id, name, "data-option": name, "data-type": "boolean", "aria-describedby": helpId },
          el("option", { value: "" }, "par défaut"), el("option", { value: "true" }, "oui"),
          el("option", { value: "false" }, "non"));
        help = `défaut : ${spec.default ? "oui" : "non"}`;
      } else if (Array.isArray(spec.enum)) {
        input = el("select", { id, name, "data-option": name, "data-type": "string", "aria-describedby": helpId },
          el("option", { value: "" }, "par défaut"), ...spec.enum.map((v) => el("option", { value: v }, v)));
        help = spec.default !== undefined ? `défaut : ${spec.default}` : "";
      } else {
        const numeric = spec.type === "integer" || spec.type === "number";
        input = el("input", {
          id, name, type: numeric ? "number" : "text", inputmode: numeric ? "numeric" : null,
          min: spec.minimum, max: spec.maximum, step: spec.type === "integer" ? 1 : null,
          placeholder: spec.default, "data-option": name, "data-type": spec.type || "string",
          "aria-describedby": helpId,
        });
        const range = spec.minimum !== undefined && spec.maximum !== undefined
          ? `${spec.minimum} à ${spec.maximum}` : "";
        help = [range, spec.default !== undefined ? `défaut ${spec.default}` : ""].filter(Boolean).join(", ");
      }
      box.append(el("div", { className: "field" },
        el("label", { for: id }, optionLabel(name)), input, el("span", { id: helpId, className: "help" }, help)));
    }
  }

  function collectOptions() {
    const options = {};
    for (const input of document.querySelectorAll("[data-option]")) {
      const raw = input.value.trim();
      if (raw === "") continue;
      const type = input.getAttribute("data-type");
      if (type === "boolean") options[input.dataset.option] = raw === "true";
      else if (type === "integer" || type === "number") options[input.dataset.option] = Number(raw);
      else options[input.dataset.option] = raw;
    }
    return options;
  }

  async function loadExamples() {
    const box = $("examples");
    try {
      const response = await fetch(EXAMPLES_URL);
      const examples = await response.json();
      for (const example of examples) {
        const button = el("button", { type: "button", "data-example": example.id }, example.label);
        button.addEventListener("click", () => {
          $("text").value = example.text;
          $("title").value = example.title || "";
          document.querySelector(`input[name=format][value=${example.format === "html" ? "html" : "auto"}]`).checked = true;
          showDetected();
          $("status").textContent = `Exemple « ${example.label} » chargé.`;
        });
        box.append(button);
      }
    } catch (error) {
      box.textContent = "(exemples indisponibles)";
    }
  }

  // ---- request ---------------------------------------------------------------------------

  async function run(event) {
    if (event) event.preventDefault();
    if (busy) return;
    const text = $("text").value;
    const format = chosenFormat();
    const payload = {};
    payload[format === "html" ? "html" : "text"] = text;
    const title = $("title").value.trim();
    if (title) payload.title = title;
    const options = collectOptions();
    if (Object.keys(options).length) payload.options = options;
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    const key = $("api-key").value.trim();
    if (key) headers["X-API-Key"] = key;

    busy = true;
    $("run").setAttribute("aria-disabled", "true");
    $("result").setAttribute("aria-busy", "true");
    $("status").textContent = "Analyse en cours…";
    const started = performance.now();
    let response;
    try {
      response = await fetch(ENRICH_URL, {
        method: "POST", headers, body: JSON.stringify(payload), credentials: "same-origin", cache: "no-store",
      });
    } catch (error) {
      finish();
      showError({ title: "Le service ne répond pas", detail: String(error), code: "network_error" }, null);
      return;
    }
    const elapsed = performance.now() - started;
    const bodyText = await response.text();
    finish();
    let parsed = null;
    try {
      parsed = bodyText ? JSON.parse(bodyText) : null;
    } catch (error) {
      parsed = null;
    }
    if (!response.ok || parsed === null) {
      showError(parsed || { title: response.statusText, detail: bodyText.slice(0, 500) }, response);
      return;
    }
    hideError();
    lastRaw = JSON.stringify(parsed, null, 2);
    render(parsed, { sent: text, format, response, elapsed });
    $("status").textContent =
      `Terminé en ${Math.round(elapsed)} ms (cache : ${response.headers.get("X-Cache") || "?"}).`;
    $("result").focus();
  }

  function finish() {
    busy = false;
    $("run").removeAttribute("aria-disabled");
    $("result").removeAttribute("aria-busy");
  }

  function hideError() {
    $("error").hidden = true;
    $("error").replaceChildren();
  }

  function showError(problem, response) {
    const status = problem.status || (response ? response.status : "");
    const box = $("error");
    const heading = el("h2", {}, `Erreur${status ? " " + status : ""} : ${problem.title || "requête refusée"}`);
    const parts = [heading];
    if (problem.code) {
      parts.push(el("p", {}, "Code : ", el("code", { "data-testid": "error-code" }, problem.code)));
    }
    if (problem.detail) parts.push(el("p", { "data-testid": "error-detail" }, problem.detail));
    if (Array.isArray(problem.errors) && problem.errors.length) {
      parts.push(el("ul", {}, ...problem.errors.map((e) => el("li", {}, el("code", {}, e.path), ` : ${e.message}`))));
    }
    const requestId = problem.request_id || (response && response.headers.get("X-Request-ID"));
    if (requestId) parts.push(el("p", { className: "help" }, `X-Request-ID : ${requestId}`));
    box.replaceChildren(...parts);
    box.hidden = false;
    // An older result under a new error would read as the answer to this request.
    $("result-body").hidden = true;
    $("result-empty").hidden = false;
    $("status").textContent = `Échec : ${problem.code || status}.`;
  }

  // ---- result ----------------------------------------------------------------------------

  function render(result, context) {
    $("result-empty").hidden = true;
    $("result-body").hidden = false;
    renderMeta(result, context);
    renderTimings(result, context);
    // For HTML input the removals point into `source_text`, the page's text as the service read it.
    renderRemoved(result.removed || [], typeof result.source_text === "string" ? result.source_text : context.sent);
    renderBody(result);
    renderSummary(result.summary || []);
    renderBars($("topics"), (result.topics || []).map((t) => ({
      label: t.label, title: `${t.code} (${t.label_en})`, score: t.score,
      sub: (t.subtopics || []).map((s) => `${s.label} ${fmt(s.score, 2)}`).join(" · "),
    })));
    renderBars($("keyphrases"), (result.keyphrases || []).map((k) => ({ label: k.text, score: k.score })));
    renderQuotes(result.quotes);
    renderEntities(result);
    $("raw").textContent = lastRaw;
    $("copy-status").textContent = "";
  }

  function renderMeta(result, context) {
    const meta = result.metadata || {};
    const stats = result.stats || {};
    const cache = context.response.headers.get("X-Cache") || "";
    const rows = [
      ["Titre", result.title || "(aucun trouvé)"],
      ["Signature", meta.byline],
      ["Source", meta.source],
      ["Publié", meta.published],
      ["Mis à jour", meta.updated],
      ["Crédits", (meta.credits || []).join(" ; ")],
      ["Langue", result.language ? `${result.language.code} (${fmt(result.language.confidence, 2)})` : ""],
      ["Format envoyé", context.format === "html" ? "HTML" : "texte"],
      ["Taille", `${stats.input_chars} → ${stats.body_chars} caractères, ${stats.tokens} tokens`],
      ["Cache", el("span", { className: cache === "hit" ? "cache-hit" : "cache-miss", "data-testid": "cache" }, cache)],
      ["Modèle", result.model],
      ["Version du pipeline", result.pipeline_version],
      ["Identifiant", result.id],
      ["X-Request-ID", context.response.headers.get("X-Request-ID")],
    ];
    const dl = $("meta");
    dl.replaceChildren();
    for (const [name, value] of rows) {
      if (value === null || value === undefined || value === "") continue;
      dl.append(el("dt", {}, name), el("dd", {}, value));
    }
  }

  function renderTimings(result, context) {
    const timings = (result.stats && result.stats.timings_ms) || {};
    const body = $("timings").tBodies[0];
    body.replaceChildren();
    let total = 0;
    for (const [stage, ms] of Object.entries(timings)) {
      total += ms;
      body.append(el("tr", {}, el("th", { scope: "row" }, stage), el("td", { className: "num" }, fmt(ms, 1))));
    }
    const foot = $("timings").tFoot || $("timings").createTFoot();
    foot.replaceChildren(
      el("tr", {}, el("th", { scope: "row" }, "total des étapes"), el("td", { className: "num" }, fmt(total, 1))),
      el("tr", {}, el("th", { scope: "row" }, "aller-retour navigateur"),
        el("td", { className: "num" }, fmt(context.elapsed, 1))),
    );
    const hit = context.response.headers.get("X-Cache") === "hit";
    $("timings-note").textContent = hit
      ? "Résultat servi par le cache : les temps sont ceux du calcul d'origine."
      : "Calculé pour cette requête.";
  }

  function renderRemoved(removed, sent) {
    const cps = codePoints(sent);
    const items = removed.slice().sort((a, b) => a.start - b.start || b.end - a.end);
    const view = $("removed-view");
    const counts = {};
    const nodes = [];
    let pos = 0;
    let mismatched = 0;
    for (const item of items) {
      counts[item.reason] = (counts[item.reason] || 0) + 1;
      if (item.start < pos || item.end > cps.length) {
        mismatched += 1;
        continue;
      }
      const text = slice(cps, item.start, item.end);
      if (text !== item.text) mismatched += 1;
      nodes.push(slice(cps, pos, item.start));
      nodes.push(el("del", {
        "data-reason": item.reason, "data-start": item.start, "data-end": item.end,
        title: `Retiré : ${REASONS[item.reason] || item.reason}`,
      }, text));
      pos = item.end;
    }
    nodes.push(slice(cps, pos, cps.length));
    view.replaceChildren(...nodes);
    const legend = $("reasons");
    legend.replaceChildren();
    const reasons = Object.keys(counts).sort((a, b) => counts[b] - counts[a] || a.localeCompare(b));
    for (const reason of reasons) {
      legend.append(el("li", { "data-reason-count": reason },
        el("span", { className: "swatch reason-swatch" }, reason),
        `${REASONS[reason] || reason} : ${counts[reason]}`));
    }
    if (!reasons.length) legend.append(el("li", {}, "Rien n'a été retiré."));
    const note = $("removed-note");
    note.hidden = mismatched === 0;
    note.textContent = mismatched
      ? `${mismatched} retrait(s) ne tombent pas sur le texte envoyé : voir le JSON brut.`
      : "";
  }

  // Spans to draw inside one paragraph. Containers (summary sentences, quotes) are widened so that
  // no entity mention is cut in two; containers crossing each other are split.
  function layout(cps, start, end, containers, leaves) {
    const clip = (s) => ({ ...s, start: Math.max(s.start, start), end: Math.min(s.end, end) });
    const marks = leaves.filter((s) => s.start < end && s.end > start).map(clip);
    const boxes = containers.filter((s) => s.start < end && s.end > start).map(clip).map((box) => {
      let { start: a, end: b } = box;
      for (const m of marks) {
        if (m.start < a && a < m.end) a = m.start;
        if (m.start < b && b < m.end) b = m.end;
      }
      return { ...box, start: a, end: b };
    });
    const queue = [...boxes, ...marks];
    const order = (x, y) => x.start - y.start || y.end - x.end || x.rank - y.rank;
    queue.sort(order);
    const root = { start, end, children: [] };
    const stack = [root];
    while (queue.length) {
      let span = queue.shift();
      while (stack.length > 1 && stack[stack.length - 1].end <= span.start) stack.pop();
      const top = stack[stack.length - 1];
      if (span.end > top.end) {
        // Crossing its parent: keep the part inside, queue the rest.
        queue.push({ ...span, start: top.end });
        queue.sort(order);
        span = { ...span, end: top.end };
      }
      const node = { ...span, children: [] };
      top.children.push(node);
      stack.push(node);
    }
    return emit(cps, root);
  }

  function emit(cps, node) {
    const out = [];
    let pos = node.start;
    for (const child of node.children) {
      if (child.start > pos) out.push(slice(cps, pos, child.start));
      const element = child.make(child.start, child.end);
      element.append(...emit(cps, child));
      out.push(element);
      pos = child.end;
    }
    if (node.end > pos) out.push(slice(cps, pos, node.end));
    return out;
  }

  function entityLink(entity) {
    for (const key of ["link", "url", "wikidata", "kb_id", "kb"]) {
      const value = entity[key];
      if (typeof value === "string" && value) return value;
      if (value && typeof value === "object") return value.url || value.id || value.qid || null;
    }
    return null;
  }

  function renderBody(result) {
    const cps = codePoints(result.body || "");
    const entities = result.entities || [];
    const leaves = [];
    entities.forEach((entity, index) => {
      for (const mention of entity.mentions || []) {
        leaves.push({
          start: mention.start, end: mention.end, rank: 3,
          make: (a, b) => el("mark", {
            "data-label": entity.label, "data-entity": index, "data-start": a, "data-end": b,
            tabindex: 0, "aria-describedby": "tooltip",
          }),
        });
      }
    });
    const containers = [];
    (result.summary || []).forEach((sentence, index) => {
      containers.push({
        start: sentence.start, end: sentence.end, rank: 1,
        make: (a, b) => el("span", {
          className: "summary-sentence", "data-summary": index, "data-rank": index + 1,
          "data-start": a, "data-end": b,
        }),
      });
    });
    for (const quote of Array.isArray(result.quotes) ? result.quotes : []) {
      if (typeof quote.start !== "number" || typeof quote.end !== "number") continue;
      if (quote.end > cps.length || (quote.text && slice(cps, quote.start, quote.end) !== quote.text)) continue;
      containers.push({
        start: quote.start, end: quote.end, rank: 2,
        make: (a, b) => el("q", { className: "quote-span", "data-start": a, "data-end": b }),
      });
    }
    let paragraphs = (result.paragraphs || []).slice().sort((a, b) => a.start - b.start);
    if (!paragraphs.length) paragraphs = [{ start: 0, end: cps.length, kind: "paragraph" }];
    const view = $("body-view");
    view.replaceChildren();
    let pos = 0;
    const addBlock = (a, b, kind) => {
      const block = el("p", { className: kind === "heading" ? "heading" : null, "data-start": a, "data-end": b });
      block.append(...layout(cps, a, b, containers, leaves));
      view.append(block);
    };
    for (const paragraph of paragraphs) {
      // Text between paragraphs is their blank-line separator; anything else is still shown.
      if (paragraph.start > pos && slice(cps, pos, paragraph.start).trim()) addBlock(pos, paragraph.start, "gap");
      addBlock(paragraph.start, paragraph.end, paragraph.kind);
      pos = Math.max(pos, paragraph.end);
    }
    if (pos < cps.length && slice(cps, pos, cps.length).trim()) addBlock(pos, cps.length, "gap");

    const counts = {};
    for (const entity of entities) counts[entity.label] = (counts[entity.label] || 0) + (entity.mentions || []).length;
    const legend = $("labels");
    legend.replaceChildren();
    for (const label of Object.keys(LABELS)) {
      legend.append(el("li", {}, el("span", { className: `swatch ${label}` }, label),
        `${LABELS[label]} : ${counts[label] || 0}`));
    }
    legend.append(el("li", {}, el("span", { className: "swatch SUM" }, "1"), "phrase du résumé"));
    shownEntities = entities;
  }

  function showTip(event) {
    const mark = event.target.closest("mark[data-entity]");
    if (!mark) return;
    const entity = shownEntities[Number(mark.dataset.entity)];
    const tip = $("tooltip");
    const link = entityLink(entity);
    const parts = [
      el("strong", {}, entity.name), ` · ${entity.label} (${LABELS[entity.label] || ""})`, el("br"),
      `saillance ${fmt(entity.salience, 3)} · ${entity.count} mention(s)`,
    ];
    if (link) parts.push(el("br"), `lien : ${link}`);
    tip.replaceChildren(...parts);
    tip.hidden = false;
    const box = mark.getBoundingClientRect();
    // CSSOM writes, not style attributes: allowed by the page's style-src 'self'.
    tip.style.left = `${Math.max(4, box.left + window.scrollX)}px`;
    tip.style.top = `${box.bottom + window.scrollY + 6}px`;
  }

  function hideTip() {
    $("tooltip").hidden = true;
  }

  function renderSummary(summary) {
    $("summary").replaceChildren(...summary.map((s) => el("li", { "data-start": s.start, "data-end": s.end }, s.text)));
  }

  function renderBars(list, items) {
    list.replaceChildren();
    for (const item of items) {
      const fill = el("span");
      fill.style.width = `${Math.round(Math.max(0, Math.min(1, item.score)) * 100)}%`;
      list.append(el("li", { title: item.title || null },
        el("span", { className: "name" }, item.label),
        el("span", { className: "bar", "aria-hidden": "true" }, fill),
        el("span", { className: "score" }, fmt(item.score, 2)),
        item.sub ? el("span", { className: "sub" }, item.sub) : null));
    }
    if (!items.length) list.append(el("li", {}, "(aucun)"));
  }

  function speakerName(speaker) {
    if (!speaker) return null;
    if (typeof speaker === "string") return speaker;
    return speaker.name || speaker.text || null;
  }

  function renderQuotes(quotes) {
    const panel = $("quotes-panel");
    panel.hidden = !Array.isArray(quotes);
    if (!Array.isArray(quotes)) return;
    $("quotes").replaceChildren(...quotes.map((quote) => {
      const speaker = speakerName(quote.speaker);
      // A quote may come with its own quotation marks or without them.
      const text = /^\s*[«"“]/.test(quote.text) ? quote.text : `« ${quote.text} »`;
      return el("li", {}, text, " ",
        el("span", { className: "speaker" }, speaker ? `— ${speaker}` : "— (locuteur inconnu)"));
    }));
    if (!quotes.length) $("quotes").append(el("li", {}, "(aucune citation)"));
  }

  function renderEntities(result) {
    const entities = result.entities || [];
    const withLinks = entities.some((e) => entityLink(e));
    const head = $("entities").tHead.rows[0];
    const linkHeader = head.querySelector("[data-col=link]");
    if (withLinks && !linkHeader) head.append(el("th", { scope: "col", "data-col": "link" }, "Lien"));
    if (!withLinks && linkHeader) linkHeader.remove();
    const body = $("entities").tBodies[0];
    body.replaceChildren(...entities.map((entity) => el("tr", {},
      el("th", { scope: "row" }, entity.name),
      el("td", {}, el("span", { className: `swatch ${entity.label}` }, entity.label)),
      el("td", { className: "num" }, entity.count),
      el("td", { className: "num" }, fmt(entity.salience, 3)),
      el("td", {}, (entity.aliases || []).join(" · ")),
      withLinks ? el("td", {}, entityLink(entity) || "") : null)));
    const countries = result.countries_from_demonyms || [];
    $("demonyms").textContent = countries.length
      ? `Pays évoqués par un gentilé : ${countries.map((c) => `${c.name} (${c.mentions.length})`).join(", ")}.`
      : "";
  }

  async function copyRaw() {
    try {
      await navigator.clipboard.writeText(lastRaw);
      $("copy-status").textContent = "JSON copié.";
    } catch (error) {
      const range = document.createRange();
      range.selectNodeContents($("raw"));
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      $("copy-status").textContent = "JSON sélectionné : Ctrl+C pour le copier.";
    }
  }

  async function init() {
    $("form").addEventListener("submit", run);
    $("text").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(event);
    });
    $("text").addEventListener("input", showDetected);
    for (const radio of document.querySelectorAll("input[name=format]")) radio.addEventListener("change", showDetected);
    $("copy").addEventListener("click", copyRaw);
    const body = $("body-view");
    body.addEventListener("mouseover", showTip);
    body.addEventListener("focusin", showTip);
    body.addEventListener("mouseout", hideTip);
    body.addEventListener("focusout", hideTip);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") hideTip();
    });
    await Promise.all([optionSchema().then(buildOptions), loadExamples()]);
    document.body.dataset.ready = "true";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
