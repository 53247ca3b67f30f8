// searcher's search page: plain JavaScript over the JSON API, no build step, nothing from
// elsewhere. The URL carries the whole state (query, filters, page, open article), so a link
// can be shared and Back works. Every string from the data or the query is put in the page as
// text (textContent, text nodes): nothing is ever parsed as HTML.
"use strict";

(() => {
  // Each render puts the window where it belongs (an article at its section, the results at
  // the hit last opened): the browser's own restoring of the scroll, after a reload or Back,
  // came when a slow answer had been drawn and moved it away (the lead's title out of view).
  window.history.scrollRestoration = "manual";
  const PAGE = 10;            // hits per page
  const DEBOUNCE_MS = 250;    // typing pause before searching
  const FACETS_SHOWN = 8;     // values per facet before "show all"
  const DEFAULT_FACETS = ["article", "result", "year", "place"];
  const FACET_LABELS = { article: "Article", result: "Result", year: "Year", place: "Place" };
  // Other names of facets and filters, as the API reads them (schema.FACET_ALIASES; an infobox
  // field of the name keeps it).
  const FACET_ALIASES = { uprising: "article" };
  const EXAMPLES = ["amnesty", "\"Voice of America\"", "strike -Norilsk", "commander:Shamaev", "casualties:killed"];

  const byId = (id) => document.getElementById(id);
  const q = byId("q");
  const during = byId("during");
  const resultsView = byId("results-view");
  const articleView = byId("article-view");
  const statusLine = byId("status");
  const notes = byId("notes");
  const hitList = byId("hits");
  const pager = byId("pager");
  const facetList = byId("facet-list");
  const addFacet = byId("add-facet");
  const intro = byId("intro");
  const resultsRegion = byId("results");

  // An element with attributes and children; strings become text nodes, never markup.
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (value === true) node.setAttribute(name, "");
      else node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  // --- the state, in the URL ----------------------------------------------------------------

  function readState(search) {
    const p = new URLSearchParams(search);
    const offset = Number.parseInt(p.get("offset") || "0", 10);
    // (a link may ask for another number of hits per article, as the API reads it: 0 to 100)
    const perArticle = /^\d{1,3}$/.test(p.get("per_article") || "") ? Number(p.get("per_article")) : null;
    // (and another number of hits a page, as the API reads it: 1 to 100)
    const limit = /^\d{1,3}$/.test(p.get("limit") || "") ? Number(p.get("limit")) : 0;
    // (the API's names too: a link to it opens the page on the same search)
    const fields = ["result", "place", "year"].flatMap((name) => p.getAll(name).map((value) => `${name}:${value}`));
    return {
      q: p.get("q") || "",
      uprising: [...p.getAll("uprising"), ...p.getAll("article")],
      filter: [...p.getAll("filter"), ...fields],
      during: p.getAll("during").join(", "), // several periods: any of them

      facet: p.getAll("facet"),
      offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
      perArticle: perArticle !== null && perArticle <= 100 ? perArticle : null,
      limit: limit >= 1 && limit <= 100 ? limit : 0,  // (0: the page's own, `PAGE`)
      doc: p.get("doc") || "",
      section: p.get("section") || "",
      at: p.get("at") || "",  // the section's place, when two share its name
    };
  }

  // The periods a period box holds, written apart by commas (`1953-05, 1953-08`).
  function periods(text) {
    return text.split(",").map((period) => period.trim()).filter(Boolean);
  }

  function params(state, { view = true } = {}) {
    const p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    for (const value of state.uprising) p.append("uprising", value);
    for (const value of state.filter) p.append("filter", value);
    for (const period of periods(state.during)) p.append("during", period);
    for (const value of state.facet) p.append("facet", value);
    if (state.offset) p.set("offset", String(state.offset));
    if (state.perArticle !== null && state.perArticle !== undefined) p.set("per_article", String(state.perArticle));
    if (state.limit) p.set("limit", String(state.limit));
    if (view && state.doc) p.set("doc", state.doc);
    if (view && state.section) p.set("section", state.section);
    if (view && state.at) p.set("at", state.at);
    return p;
  }

  function url(state) {
    const query = params(state).toString();
    return query ? `/?${query}` : "/";
  }

  function current() {
    return readState(window.location.search);
  }

  function results(state) {
    return { ...state, doc: "", section: "", at: "" };
  }

  let typingEntry = false; // whether the history entry shown was made by typing
  // Whether the results drawn next come from a link of the page (a page turned, a spelling,
  // a word to include, a filter left out, an example): the link goes with what it was in.
  let linkFollowed = false;

  // Show `state`: a new history entry, or (while typing, or when nothing changed) the same one.
  // An article opened from the results says so, so that its "back" link goes back.
  function go(state, { typing = false } = {}) {
    const target = url(state);
    const same = target === window.location.pathname + window.location.search;
    const fromResults = !current().doc && Boolean(state.doc);
    if (same || (typing && typingEntry)) window.history.replaceState(window.history.state, "", target);
    else window.history.pushState({ fromResults }, "", target);
    typingEntry = typing;
    render({ typing });
  }

  function plainClick(event) {
    return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
  }

  // A link to a state: a real link (new tab, copy), followed in place on a plain click.
  function link(state, text, attributes, follow) {
    const a = el("a", { href: url(state), ...attributes }, text);
    a.addEventListener("click", (event) => {
      if (!plainClick(event)) return;
      event.preventDefault();
      if (!state.doc) linkFollowed = true;
      if (follow) follow();
      else go(state);
    });
    return a;
  }

  // --- talking to the API -------------------------------------------------------------------

  // Not kept here: an answer kept for the page's life outlived the index it came from (the
  // server keeps answers until its index changes).
  async function api(path) {
    let response;
    try {
      response = await fetch(path, { headers: { Accept: "application/json" } });
    } catch { // (the browser's own words, "Failed to fetch", say nothing of why)
      throw new Error("the server did not answer: is `searcher serve` still running?");
    }
    let data;
    try {
      data = await response.json();
    } catch (error) {
      throw new Error(`the server answered ${response.status} without JSON`);
    }
    if (!response.ok) throw new Error(data.error || `the server answered ${response.status}`);
    return data;
  }

  // The query the API is asked for a state: with an empty box, the filters chosen alone show
  // what they hold, every section (`*`).
  function asked(state) {
    return state.q || "*";
  }

  function searchPath(state, extra) {
    const p = params(state, { view: false });
    p.set("limit", String(pageSize(state)));
    for (const [name, value] of Object.entries(extra || {})) p.set(name, value);
    return `/api/search?${p}`;
  }

  // --- marked text --------------------------------------------------------------------------

  // The snippet as text nodes, each highlighted span in a <mark>. The spans count characters
  // (code points, as Python does); a JavaScript string counts UTF-16 units, two for an emoji.
  function markedSnippet(text, spans) {
    const fragment = document.createDocumentFragment();
    const chars = Array.from(text);
    let at = 0;
    for (const [start, end] of spans) {
      if (start < at || end > chars.length || start >= end) continue;
      fragment.append(chars.slice(at, start).join(""), el("mark", {}, chars.slice(start, end).join("")));
      at = end;
    }
    fragment.append(chars.slice(at).join(""));
    return fragment;
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // A pattern that finds the given words and phrases as whole words, in any case.
  function wordsPattern(words) {
    const unique = [...new Set(words.filter((w) => w.trim()))].sort((a, b) => b.length - a.length);
    if (!unique.length) return null;
    const alternatives = unique.map((w) => escapeRegExp(w).replace(/\s+/g, "\\s+")).join("|");
    return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])`, "giu");
  }

  // Text with every match of `pattern` in a <mark>, as text nodes.
  function markedText(text, pattern) {
    const fragment = document.createDocumentFragment();
    if (!pattern) {
      fragment.append(text);
      return fragment;
    }
    let at = 0;
    for (const match of text.matchAll(pattern)) {
      fragment.append(text.slice(at, match.index), el("mark", {}, match[0]));
      at = match.index + match[0].length;
    }
    fragment.append(text.slice(at));
    return fragment;
  }

  // --- rendering ----------------------------------------------------------------------------

  let rendering = 0; // the newest render: older answers arriving late are dropped

  async function render({ typing = false } = {}) {
    const state = current();
    const mine = ++rendering;
    if (!typing && q.value !== state.q) q.value = state.q;
    if (!typing && during.value !== state.during) during.value = state.during;
    document.title = state.q ? `${state.q} – searcher` : "searcher";
    if (state.doc) {
      await renderArticle(state, () => mine === rendering);
    } else {
      await renderResults(state, () => mine === rendering);
    }
  }

  function showError(container, message) {
    container.replaceChildren(el("p", { class: "error", role: "alert" }, message));
  }

  const isFiltered = (state) => Boolean(state.uprising.length || state.filter.length || state.during);

  async function renderResults(state, fresh) {
    articleView.hidden = true;
    resultsView.hidden = false;
    if (!state.q && !isFiltered(state)) {
      intro.hidden = false;
      statusLine.textContent = "";
      notes.replaceChildren();
      hitList.replaceChildren();
      pager.replaceChildren();
      renderExamples(state);
      focusResults(null);
      await renderFacets(state, null, fresh);
      return;
    }
    intro.hidden = true;
    resultsView.setAttribute("aria-busy", "true");
    let data;
    try {
      data = await api(searchPath(state, { offset: String(state.offset), q: asked(state) }));
    } catch (error) {
      if (!fresh()) return;
      resultsView.removeAttribute("aria-busy");
      statusLine.textContent = "";
      showError(notes, error.message);
      hitList.replaceChildren();
      pager.replaceChildren();
      // The last query's facets would bring it back when ticked: only what this search chose,
      // each to leave out (one of them may be what is wrong).
      facetList.replaceChildren(...chosenList(state));
      focusResults(null);
      return;
    }
    if (!fresh()) return;
    resultsView.removeAttribute("aria-busy");
    statusLine.textContent = summary(data, state);
    renderNotes(data, state);
    const perArticle = Object.fromEntries((data.facets.article || []).map((v) => [v.value, v.count]));
    expanders.clear();
    hitList.replaceChildren(...data.hits.map((hit) => hitItem(hit, state, perArticle[hit.article])));
    renderPager(data, state);
    renderFacetGroups(data.facets, state);
    // Back to these results: the "+ N more" lists open on them are open again, and the hit
    // whose article was opened has the focus (not the page).
    const shown = url(results(state));
    if (openLists.page !== shown) openLists = { page: shown, files: new Set() };
    for (const file of [...openLists.files]) if (expanders.has(file) && fresh()) await expanders.get(file)();
    const opened = [...hitList.querySelectorAll("a.hit-link")].find((a) => a.getAttribute("href") === openedFrom);
    openedFrom = "";
    focusResults(opened);
  }

  // The keyboard's place once results are drawn: `opened`, the hit whose article was shown;
  // after a link of the page (gone with what it was in, the focus with it), the first hit,
  // else the results region (a note, an error, the start page).
  function focusResults(opened) {
    if (opened) opened.focus();
    else if (linkFollowed) (hitList.querySelector("a.hit-link") || resultsRegion).focus();
    linkFollowed = false;
  }

  // The filters and counted fields a state chose, each a link to the state without it.
  function chosenList(state) {
    const chosen = [
      ...state.uprising.map((value) => [`uprising: ${value}`, { uprising: state.uprising.filter((v) => v !== value) }]),
      ...state.filter.map((value) => [`filter: ${value}`, { filter: state.filter.filter((v) => v !== value) }]),
      ...state.facet.map((value) => [`counting: ${value}`, { facet: state.facet.filter((v) => v !== value) }]),
    ];
    if (!chosen.length) return [];
    return [el("ul", { class: "chosen", "aria-label": "Chosen" }, ...chosen.map(([label, change]) =>
      el("li", {}, link({ ...state, ...change, offset: 0 }, `× ${label}`, { title: "leave it out" }))))];
  }

  function plural(count, word) {
    return `${count.toLocaleString("en")} ${count === 1 ? word : `${word}s`}`;
  }

  function summary(data, state) {
    if (!data.total) {
      if (!state.q) return "No sections match the filters chosen.";
      return isFiltered(state) ? `No sections match “${data.query}” with the filters chosen.` : `No sections match “${data.query}”.`;
    }
    const shown = data.hits.length
      ? `${state.offset + 1}–${state.offset + data.hits.length} of `
      : "";
    if (data.matched === "articles") return `${shown}${plural(data.total, "matching article")}`;
    const all = `${shown}${plural(data.total, "matching section")} in ${plural(data.articles, "article")}`;
    // (a few sections of an article a page: the others are under its "+ N more")
    return data.ranked < data.total ? `${all}; ${data.ranked.toLocaleString("en")} on the pages, the others under “+ more”` : all;
  }

  function renderNotes(data, state) {
    const items = [];
    if (data.corrected) {
      const p = el("p", { class: "note" }, `No exact matches for “${data.query}”: showing close spellings`);
      if (data.suggestion) p.append(" of ", link({ ...results(state), q: data.suggestion, offset: 0 }, data.suggestion));
      items.push(p);
    } else if (data.suggestion) {
      items.push(el("p", { class: "note" }, "Did you mean ",
        link({ ...results(state), q: data.suggestion, offset: 0 }, data.suggestion, { class: "suggestion" }), "?"));
    }
    if (data.relaxed.length) {
      const p = el("p", { class: "note relaxed" }, `Not every section has all the words; missing: ${data.relaxed.join(", ")}. Must include: `);
      data.relaxed.forEach((word, index) => {
        if (index) p.append(" ");
        p.append(link({ ...results(state), q: requireWord(data.query, word), offset: 0 }, word,
          { title: `only sections with ${word}` }));
      });
      items.push(p);
    }
    for (const warning of data.warnings) {
      if (data.corrected && warning.startsWith("no exact matches for")) continue;
      if (data.relaxed.length && warning.includes("showing sections without")) continue;
      items.push(el("p", { class: "note" }, warning));
    }
    notes.replaceChildren(...items);
  }

  // The query with `word` required (`+word`), as the query language writes it.
  function requireWord(query, word) {
    const pattern = new RegExp(`(^|[\\s(])${escapeRegExp(word)}(?=$|[\\s)])`);
    return pattern.test(query) ? query.replace(pattern, `$1+${word}`) : `${query} +${word}`;
  }

  let openedFrom = ""; // the link of the hit whose article is shown
  const expanders = new Map(); // file -> what opens its "+ N more" list on the page shown
  let openLists = { page: "", files: new Set() }; // the files whose lists are open on a page

  // A hit; `matching` is how many sections of its article match (for "N more sections").
  function hitItem(hit, state, matching) {
    const target = { ...state, doc: hit.path, section: hit.section, at: String(hit.position) };
    const heading = link(target, null, {
      class: "hit-link",
      title: `score ${hit.score.toFixed(2)}`,
      "data-score": hit.score,
    });
    heading.addEventListener("click", () => { openedFrom = heading.getAttribute("href"); });
    heading.append(el("span", { class: "where" }, hit.article, el("span", { class: "sep" }, " › "), hit.section));
    const item = el("li", { class: "hit" },
      heading,
      el("p", { class: "snippet", dir: "auto" }, markedSnippet(hit.snippet, hit.highlights)));
    if (hit.variants.length) {
      item.append(el("p", { class: "variants" }, `spelled here: ${hit.variants.join(", ")}`));
    }
    if (hit.more_in_article && matching) item.append(moreButton(hit, state, matching));
    return item;
  }

  // "N more sections in …": the article's other matching sections, fetched and shown in place:
  // its ranking after the sections this page and earlier ones showed. The filter is by title,
  // which two files may share: of the title's ranking (when it is at most 100 long), the hit's
  // own file's last `more`.
  function moreButton(hit, state, matching) {
    const more = hit.more_in_article;
    const button = el("button", { type: "button", class: "link-button more", "aria-expanded": "false" },
      `+ ${plural(more, "more section")} in ${hit.article}`);
    const expand = async () => {
      button.disabled = true;
      const p = params({ ...results(state), uprising: [hit.article], offset: 0 }, { view: false });
      p.set("q", asked(state));
      p.set("per_article", "0");
      const whole = matching <= 100;
      p.set("offset", whole ? "0" : String(Math.max(0, matching - more)));
      p.set("limit", String(whole ? matching : Math.min(more, 100)));
      let data;
      try {
        data = await api(`/api/search?${p}`);
      } catch (error) {
        button.disabled = false;
        button.after(el("p", { class: "error", role: "alert" }, error.message));
        return;
      }
      const extras = whole ? data.hits.filter((other) => other.path === hit.path).slice(-more) : data.hits;
      const list = el("ol", { class: "more-hits", "aria-label": `More sections in ${hit.article}` },
        ...extras.map((extra) => {
          const item = hitItem({ ...extra, more_in_article: 0 }, state, 0);
          item.classList.add("extra");
          return item;
        }));
      button.replaceWith(list);
      openLists.files.add(hit.path);
      return list;
    };
    button.addEventListener("click", async () => {
      const list = await expand();
      list?.querySelector("a")?.focus();
    });
    expanders.set(hit.path, expand);
    return button;
  }

  // The hits a page shows: a link's `limit=`, else the page's own.
  function pageSize(state) {
    return state.limit || PAGE;
  }

  function renderPager(data, state) {
    const items = [];
    const size = pageSize(state);
    if (state.offset > 0) {
      // (from past the last hit, the last page that has some)
      const last = Math.max(0, Math.floor((data.ranked - 1) / size) * size);
      const previous = { ...state, offset: Math.min(Math.max(0, state.offset - size), last) };
      items.push(link(previous, "‹ Previous", { rel: "prev" }));
    }
    if (state.offset + size < data.ranked) {
      const next = { ...state, offset: state.offset + size };
      items.push(link(next, "Next ›", { rel: "next" }));
    }
    pager.replaceChildren(...items);
  }

  // Only the examples whose field the index has (another corpus has no `commander`), in the
  // list and in the box's placeholder.
  async function renderExamples(state) {
    const known = await knownFields();
    const shown = EXAMPLES.filter((text) => !/^\w+:/.test(text) || known.includes(text.split(":")[0]));
    byId("examples").replaceChildren(...shown.map((text) => link({ ...results(state), q: text, offset: 0 }, text)));
    q.placeholder = `Search the articles: ${shown.filter((text) => !text.includes(" -")).slice(0, 3).join(", ")}`;
  }

  // --- facets -------------------------------------------------------------------------------

  async function renderFacets(state, data, fresh) {
    const p = params(results(state), { view: false });
    p.delete("offset");
    let facets;
    try {
      facets = await api(`/api/facets?${p}`);
    } catch (error) {
      if (!fresh()) return;
      showError(facetList, error.message);
      facetList.append(...chosenList(state)); // (each to leave out: one of them may be what is wrong)
      return;
    }
    if (fresh()) renderFacetGroups(facets, state);
  }

  // Text as the API compares names and values: any case, diacritics or not.
  const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  // A field's name as the API reads it from a filter (`Result`, `Map Type`: `result`, `map_type`).
  const fieldKey = (text) => fold(text).replace(/[^\p{L}\p{N}]+/gu, "_").replace(/^_+|_+$/g, "");
  // The facet a filter's field name chooses, as the API reads it: a field in any case, else
  // the facet another name stands for (`Uprising` is `article`).
  const facetKey = (text) => {
    const key = fieldKey(text);
    return Object.hasOwn(FACET_ALIASES, key) && !indexFields.includes(key) ? FACET_ALIASES[key] : key;
  };
  const isFilterOf = (name) => (f) => f.includes(":") && facetKey(f.slice(0, f.indexOf(":"))) === name;

  function selectedValues(name, state) {
    const filtered = state.filter.filter(isFilterOf(name)).map((f) => f.slice(f.indexOf(":") + 1));
    return name === "article" ? [...state.uprising, ...filtered] : filtered;
  }

  // Ticking adds a value as a filter; unticking takes away every filter that chose it, as the
  // API chooses (`values`: the facet's values): one naming a value whole chooses that value
  // only, any other the values with all its words; failing those (a number, a period: `4.5`
  // chose `+4:30`), the filters that chose no other ticked value.
  function toggled(state, name, value, on, values) {
    const next = { ...results(state), offset: 0 };
    const chosen = selectedValues(name, state);
    let left = [...chosen, value];
    if (!on) {
      const whole = new Set(values.map((v) => fold(v.value)));
      const chooses = (c, v) => fold(c) === fold(v) || (!whole.has(fold(c)) && isChosenBy(v, c));
      left = chosen.filter((c) => !chooses(c, value));
      if (left.length === chosen.length) {
        const others = values.filter((v) => v.selected && fold(v.value) !== fold(value));
        left = chosen.filter((c) => others.some((v) => chooses(c, v.value)));
      }
    }
    next.filter = state.filter.filter((f) => !isFilterOf(name)(f));
    if (name === "article") next.uprising = left;
    else next.filter.push(...left.map((v) => `${name}:${v}`));
    return next;
  }

  // A filter value that names no value whole chooses those with all its words (the API's rule).
  function isChosenBy(value, chosen) {
    const words = (text) => fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const have = new Set(words(value));
    const wanted = words(chosen);
    return wanted.length > 0 && wanted.every((w) => have.has(w));
  }

  const expanded = new Set(); // facets showing all their values
  let refocus = null; // the checkbox to focus again once the facets are drawn anew

  function renderFacetGroups(facets, state) {
    const groups = [];
    for (const [name, values] of Object.entries(facets)) {
      if (!values.length && DEFAULT_FACETS.includes(name)) continue; // a field this corpus lacks
      const group = el("fieldset", { class: "facet", "data-facet": name });
      const legend = el("legend", {}, FACET_LABELS[name] || name);
      if (!DEFAULT_FACETS.includes(name)) {
        const remove = el("button", { type: "button", class: "link-button", "aria-label": `Stop counting ${name}` }, "remove");
        remove.addEventListener("click", () => {
          const next = toggledAll(state, name);
          go({ ...next, facet: state.facet.filter((f) => fieldKey(f) !== name) });
          addFacet.focus(); // (the button goes with its group: the keyboard stays in the sidebar)
        });
        legend.append(remove);
      }
      group.append(legend);
      const list = el("ul");
      const shown = expanded.has(name) ? values : values.slice(0, FACETS_SHOWN);
      const hidden = values.slice(shown.length).filter((v) => v.selected);
      for (const value of [...shown, ...hidden]) list.append(facetValue(name, value, state, values));
      group.append(list);
      if (values.length > FACETS_SHOWN) {
        const toggle = el("button", { type: "button", class: "link-button", "aria-expanded": String(expanded.has(name)) },
          expanded.has(name) ? "show fewer" : `show all ${values.length}`);
        toggle.addEventListener("click", () => {
          if (expanded.has(name)) expanded.delete(name);
          else expanded.add(name);
          renderFacetGroups(facets, state);
          const again = facetList.querySelector(`fieldset[data-facet="${CSS.escape(name)}"] > button`);
          if (again) again.focus();
        });
        group.append(toggle);
      }
      if (!values.length) group.append(el("p", { class: "note" }, "no values"));
      groups.push(group);
    }
    // The ticked box, drawn anew, takes the keyboard back only if it is still in the sidebar
    // (or lost with the box): not when `/` or a click moved it on before the results came.
    const stayed = facetList.contains(document.activeElement) || document.activeElement === document.body;
    facetList.replaceChildren(...groups);
    const wanted = refocus;
    refocus = null;
    if (wanted && stayed) {
      const { facet, value } = wanted;
      const box = [...facetList.querySelectorAll("input[type=checkbox]")]
        .find((b) => b.dataset.facet === facet && b.value === value);
      if (box) box.focus();
    }
    updateFieldChoice(facets);
  }

  function toggledAll(state, name) {
    return { ...results(state), offset: 0, filter: state.filter.filter((f) => !isFilterOf(name)(f)) };
  }

  function facetValue(name, value, state, values) {
    const box = el("input", { type: "checkbox", checked: value.selected });
    box.dataset.facet = name;
    box.value = value.value;
    box.addEventListener("change", () => {
      refocus = { facet: name, value: value.value };
      // From the state as the URL has it now: another box ticked since this sidebar was drawn
      // (its answer not in yet) stays ticked.
      go(toggled(current(), name, value.value, box.checked, values));
    });
    const count = el("span", { class: "count", title: `${plural(value.count, "section")} in ${plural(value.articles, "article")}` },
      value.count.toLocaleString("en"));
    const classes = [value.selected ? "selected" : "", value.count ? "" : "empty"].filter(Boolean).join(" ");
    return el("li", { class: classes || null },
      el("label", {}, box, el("span", { class: "value" }, value.value), count));
  }

  let fieldNames = null; // the names a query may use, asked for once
  let indexFields = []; // those names, once they came
  async function knownFields() {
    if (fieldNames === null) {
      fieldNames = api("/api/fields").then((fields) => (indexFields = fields.map((f) => f.name)), () => []);
    }
    return fieldNames;
  }

  async function updateFieldChoice(facets) {
    const counted = (await knownFields()).filter((n) => !["title", "section", "text"].includes(n));
    const options = counted.filter((n) => !(n in facets));
    addFacet.replaceChildren(el("option", { value: "" }, "choose a field…"),
      ...options.map((n) => el("option", { value: n }, n)));
  }

  addFacet.addEventListener("change", () => {
    const name = addFacet.value;
    if (!name) return;
    const state = current();
    go({ ...results(state), facet: [...state.facet, name] });
  });

  // --- the article view ---------------------------------------------------------------------

  async function renderArticle(state, fresh) {
    let article;
    try {
      const marking = state.q ? `?${new URLSearchParams({ q: state.q })}` : "";
      article = await api(`/api/articles/${encodeURIComponent(state.doc)}${marking}`);
    } catch (error) {
      if (!fresh()) return;
      resultsView.hidden = true;
      articleView.hidden = false;
      articleView.replaceChildren(backLink(state), el("p", { class: "error", role: "alert" }, error.message));
      return;
    }
    if (!fresh()) return;
    const pattern = wordsPattern(article.marked || []);
    const heading = el("h1", { tabindex: "-1" }, markedText(article.title, pattern));
    const body = [backLink(state), heading];
    let target = null;
    // The section of that name at that place, else the first of that name.
    const at = article.sections[Number(state.at)]?.name === state.section ? Number(state.at) : -1;
    for (const [index, section] of article.sections.entries()) {
      const node = section.kind === "infobox"
        ? infoboxCard(article, section, pattern)
        : sectionNode(section, index, pattern);
      const named = state.section && section.name === state.section;
      if (named && (index === at || (at < 0 && target === null))) target = node;
      body.push(node);
    }
    resultsView.hidden = true;
    articleView.hidden = false;
    articleView.replaceChildren(...body);
    document.title = `${article.title} – searcher`;
    if (target) {
      target.classList.add("target");
      target.setAttribute("tabindex", "-1");
      // the lead and the infobox are at the top, under the title: show it too, unless the
      // lead starts in the window's lower half (under the infobox, on a phone)
      const atTop = target.classList.contains("infobox") || target.dataset.kind === "lead";
      if (atTop) window.scrollTo(0, 0);
      if (!atTop || target.getBoundingClientRect().top > window.innerHeight / 2) {
        target.scrollIntoView({ block: "start" });
      }
      target.focus({ preventScroll: true });
    } else {
      window.scrollTo(0, 0);
      heading.focus();
    }
  }

  // Back to the results: back in history when the article was opened from them.
  function backLink(state) {
    const target = results(state);
    return link(target, state.q ? `‹ Results for “${state.q}”` : "‹ Search", { class: "back" }, () => {
      if (window.history.state && window.history.state.fromResults) window.history.back();
      else go(target);
    });
  }

  // The infobox's fields, and the lines among them that are no field (text of the infobox),
  // in the order of its section's blocks.
  function infoboxCard(article, section, pattern) {
    const card = el("aside", { class: "infobox", "aria-label": "Infobox" });
    if (article.infobox_header) card.append(el("h2", {}, markedText(article.infobox_header, pattern)));
    const fields = [...article.infobox];
    let list = null;
    for (const block of section.blocks) {
      const field = fields[0];
      if (field && block.text.startsWith(field.key) && block.text.endsWith(field.value)) {
        fields.shift();
        if (!list) card.append((list = el("dl")));
        list.append(el("dt", {}, field.key), el("dd", {}, markedText(field.value, pattern)));
      } else {
        list = null;
        card.append(el("p", {}, markedText(block.text, pattern)));
      }
    }
    for (const field of fields) {  // (none: each field is a block)
      if (!list) card.append((list = el("dl")));
      list.append(el("dt", {}, field.key), el("dd", {}, markedText(field.value, pattern)));
    }
    return card;
  }

  function sectionNode(section, index, pattern) {
    const node = el("section", { class: "article-section", id: `s${index}`, "data-kind": section.kind });
    if (section.kind !== "lead") {
      const level = Math.min(Math.max(section.level, 2), 4);
      node.append(el(`h${level}`, {}, markedText(section.name, pattern)));
    }
    let list = null;
    for (const block of section.blocks) {
      if (block.is_item) {
        if (!list) {
          list = el("ul");
          node.append(list);
        }
        list.append(el("li", {}, markedText(block.text, pattern)));
      } else {
        list = null;
        node.append(el("p", { dir: "auto" }, markedText(block.text, pattern)));
      }
    }
    return node;
  }

  // --- input --------------------------------------------------------------------------------

  let timer = 0;
  q.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      const state = current();
      // (on an article, a box emptied searches nothing: Escape empties a search box)
      if (state.doc ? !q.value.trim() : q.value.trim() === state.q.trim()) return;
      go({ ...results(state), q: q.value.trim() ? q.value : "", offset: 0 }, { typing: true });
    }, DEBOUNCE_MS);
  });

  byId("search").addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    const state = current();
    go({ ...results(state), q: q.value.trim() ? q.value : "", during: during.value.trim(), offset: 0 });
  });

  during.addEventListener("change", () => {
    window.clearTimeout(timer); // (the query typed just before counts, searched or not yet)
    const state = current();
    const typed = q.value.trim() ? q.value : "";
    if (during.value.trim() !== state.during || typed.trim() !== state.q.trim()) {
      go({ ...results(state), q: typed, during: during.value.trim(), offset: 0 });
    }
  });

  byId("home").addEventListener("click", (event) => {
    if (!plainClick(event)) return;
    event.preventDefault();
    go(readState(""));
    q.focus();
  });

  document.addEventListener("keydown", (event) => {
    const active = document.activeElement;
    const typingInField = ["SELECT", "TEXTAREA"].includes(active.tagName)
      || (active.tagName === "INPUT" && !["checkbox", "radio", "button", "submit"].includes(active.type));
    if (event.key === "/" && !typingInField) {
      event.preventDefault();
      q.focus();
      q.select();
    } else if (event.key === "Escape" && !articleView.hidden && !typingInField) {
      event.preventDefault();
      const back = articleView.querySelector(".back");
      if (back) back.click();
    }
  });

  window.addEventListener("popstate", () => {
    typingEntry = false;
    render();
  });

  if (window.matchMedia("(max-width: 760px)").matches) byId("facet-box").open = false;
  api("/api/health").then((health) => {
    byId("corpus-size").textContent = `${plural(health.articles, "article")}, ${plural(health.sections, "section")} indexed.`;
  }).catch(() => {});
  render();
})();
