/**
 * Safe text for the report page: every string that came from data passes through one of these before it is
 * written into HTML, a `<script>` or an attribute.
 * @module
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML content and quoted attribute values.
 *
 * @example
 * escapeHtml('</script><b>'); // "&lt;/script&gt;&lt;b&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON for the body of a `<script type="application/json">`: `<`, `>` and `&` become `\u003c`-style escapes, so
 * no `</script>` or `<!--` can end or confuse the element (HTML Living Standard §4.12.1.3, "Restrictions for
 * contents of script elements"), and U+2028/U+2029 are escaped so the text is also a valid JS literal. `JSON.parse`
 * of the element's text gives the value back unchanged.
 *
 * @example
 * jsonForScript({ name: '</script>' }); // '{"name":"\\u003c/script\\u003e"}'
 */
export function jsonForScript(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`cannot embed ${typeof value} as JSON`);
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JavaScript source made safe to inline in a classic `<script>`: any `</script` (in a string, regex or comment of
 * third-party code) is written `<\/script`, which means the same thing to JS but cannot close the element.
 * Source containing `<!--` is refused: with a later `<script` it would put the HTML parser in the "double
 * escaped" state, where even our own closing tag no longer ends the element, and there is no rewrite of it that
 * is safe in every JS context.
 */
export function inlineScriptSource(source: string): string {
  if (source.includes('<!--')) {
    throw new TypeError(`cannot inline script source containing "<!--" at offset ${source.indexOf('<!--')}`);
  }
  return source.replace(/<\/(script)/gi, '<\\/$1');
}
