import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, inlineScriptSource, jsonForScript } from './html.js';

test('escapeHtml escapes the five characters that matter in text and quoted attributes', () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
  );
  assert.equal(escapeHtml('plain – text'), 'plain – text');
});

test('jsonForScript leaves no angle bracket or ampersand and parses back unchanged', () => {
  const value = { a: '</script><!-- <script>', b: 'x & y', c: 'line\u2028para\u2029', d: [1.5, null, true] };
  const text = jsonForScript(value);
  assert.doesNotMatch(text, /[<>&\u2028\u2029]/);
  assert.deepEqual(JSON.parse(text), value);
  assert.throws(() => jsonForScript(undefined), TypeError);
});

test('inlineScriptSource defuses </script and refuses <!--', () => {
  const src = 'var s = "</script>"; var r = /<\\/SCRIPT>/; // </Script';
  const out = inlineScriptSource(src);
  assert.doesNotMatch(out, /<\/script/i);
  // Same program: the escaped form evaluates to the same string.
  assert.equal(new Function(`${out}\nreturn s;`)(), '</script>');
  assert.throws(() => inlineScriptSource('x = 1; <!-- y'), /<!--/);
});
