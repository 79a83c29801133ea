// A small, safe Markdown renderer for model output and document text.
//
// Everything is escaped first, so no HTML from a model or a document is ever
// interpreted; then a few Markdown forms become elements: fenced and inline code,
// headings, bold, italic, lists, links (http and https only) and paragraphs.
// Citations such as [2] become buttons that show source 2.
"use strict";

(function () {
  function escape(text) {
    return String(text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function inline(text) {
    // `text` is already escaped; code spans are cut out first so nothing inside changes.
    const codes = [];
    let out = text.replace(/`([^`\n]+)`/g, function (_, code) {
      codes.push(code);
      return "\u0000" + (codes.length - 1) + "\u0000";
    });
    out = out
      .replace(/\*\*([^*\n]+)\*\*/g, "<strong>$1</strong>")
      .replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s).,;:!?]|$)/g, "$1<em>$2</em>")
      .replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, function (_, label, url) {
        return '<a href="' + url + '" rel="noopener noreferrer nofollow" target="_blank">' +
          label + "</a>";
      })
      .replace(/\[(\d{1,2})\]/g, '<button type="button" class="cite" data-n="$1"' +
        ' aria-label="Show source $1">[$1]</button>');
    return out.replace(/\u0000(\d+)\u0000/g, function (_, i) {
      return "<code>" + codes[Number(i)] + "</code>";
    });
  }

  function render(markdown) {
    const lines = escape(markdown).split("\n");
    const html = [];
    let paragraph = [];
    let list = null;

    function flush() {
      if (paragraph.length) {
        html.push("<p>" + inline(paragraph.join("\n")).replace(/\n/g, "<br>") + "</p>");
        paragraph = [];
      }
      if (list) {
        html.push("<" + list.tag + ">" + list.items.map(function (item) {
          return "<li>" + inline(item) + "</li>";
        }).join("") + "</" + list.tag + ">");
        list = null;
      }
    }

    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (/^```/.test(line)) {
        flush();
        const code = [];
        for (i++; i < lines.length && !/^```/.test(lines[i]); i++) code.push(lines[i]);
        html.push("<pre><code>" + code.join("\n") + "</code></pre>");
        continue;
      }
      const heading = /^(#{1,4})\s+(.*)$/.exec(line);
      if (heading) {
        flush();
        const level = Math.min(6, heading[1].length + 2);  // the page's own h1/h2 come first
        html.push("<h" + level + ">" + inline(heading[2]) + "</h" + level + ">");
        continue;
      }
      const item = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/.exec(line);
      if (item) {
        const tag = item[1] ? "ul" : "ol";
        if (paragraph.length || (list && list.tag !== tag)) flush();
        list = list || { tag: tag, items: [] };
        list.items.push(item[3]);
        continue;
      }
      if (!line.trim()) {
        flush();
        continue;
      }
      if (list) flush();
      paragraph.push(line);
    }
    flush();
    return html.join("");
  }

  window.inhouseMarkdown = { render: render, escape: escape };
})();
