import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunView } from '../../src/protocol';
import { buildReportHtml, embedJson, escapeRawText } from '../../src/report/html';

const hostile = '</script><script>alert(1)</script><!-- \u2028 & "quoted"';

const view: RunView = {
  runId: 'r1',
  runDir: '/runs/r1',
  events: [
    {
      type: 'probes',
      epoch: -1,
      probes: [{ id: 'probe-0', label: hostile, tokens: ['</SCRIPT>', '<b>'], layers: [] }],
    },
  ],
};

function scriptBodies(html: string): string[] {
  return [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/gi)].map((match) => match[1]);
}

test('the embedded run cannot close its script element and parses back to the same view', () => {
  const html = buildReportHtml(view, { script: 'console.log(1)', style: 'body{}', title: 'run' });
  const [json, script] = scriptBodies(html);
  assert.deepEqual(JSON.parse(json), view);
  assert.equal(script, 'console.log(1)');
  assert.doesNotMatch(json, /[<>]/);
  assert.equal(scriptBodies(html).length, 2);
});

test('embedJson escapes <, >, & and line separators but stays valid JSON', () => {
  const text = embedJson({ s: hostile });
  assert.doesNotMatch(text, /[<>&\u2028]/);
  assert.deepEqual(JSON.parse(text), { s: hostile });
});

test('inlined script and style cannot end their element early', () => {
  const script = 'const a = "</script>"; const b = "</SCRIPT >";';
  const html = buildReportHtml(view, { script, style: 'a::after { content: "</style>" }', title: 'run' });
  assert.equal(scriptBodies(html)[1], escapeRawText(script, 'script'));
  assert.doesNotMatch(escapeRawText(script, 'script'), /<\/script/i);
  assert.doesNotMatch(escapeRawText('x</style>', 'style'), /<\/style/i);
  // The escape means the same text inside a JavaScript string.
  assert.equal(new Function(`return "${escapeRawText('</script>', 'script')}"`)(), '</script>');
});

test('the title is HTML-escaped and the page defines the theme variables and the mount point', () => {
  const html = buildReportHtml(view, { script: '', style: '', title: '<img src=x onerror=alert(1)> & co' });
  assert.match(html, /<title>&#60;img src=x onerror=alert\(1\)&#62; &#38; co<\/title>/);
  assert.match(html, /--vscode-editor-background:/);
  assert.match(html, /<div id="seqlab-root"><\/div>/);
  assert.match(html, /<body class="vscode-light">/);
});
