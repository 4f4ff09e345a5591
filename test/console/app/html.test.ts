/** Markup is built from templates that escape every value, and JSON blocks that no payload can close. */
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, jsonScript, raw } from '../../../src/console/app/html.js';
import { formatDuration, formatTime, prettyPayload, PAYLOAD_SHOWN_CHARS } from '../../../src/console/app/format.js';

describe('html', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const name = `"><script>alert('x')</script>&`;
    expect(html`<a title="${name}">${name}</a>`.value).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</a>',
    );
  });

  it('keeps fragments and raw markup as they are, drops nothing but empty values', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${raw('<svg/>')}${[html`<br>`, 'a&b']}${undefined}${null}${false}${0}</p>`.value).toBe('<p><b>&lt;i&gt;</b><svg/><br>a&amp;b0</p>');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('writes JSON a payload cannot break out of', () => {
    const value = { s: '</script><script>alert(1)</script>', line: '\u2028' };
    const block = jsonScript('data', value).value;
    expect(block).not.toContain('</script><script>');
    const body = /<script type="application\/json" id="data">([\s\S]*)<\/script>$/.exec(block)?.[1] ?? '';
    expect(JSON.parse(body)).toEqual(value);
  });
});

describe('formats', () => {
  it('shows times in UTC and durations as people read them', () => {
    expect(formatTime(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02 03:04:05.006 UTC');
    expect(formatTime(undefined)).toBe('—');
    expect([850, 1234, 12_345, 245_000, 7_380_000, 97_200_000].map(formatDuration)).toEqual(['850 ms', '1.23 s', '12.3 s', '4 min 05 s', '2 h 03 min', '1 d 3 h']);
  });

  it('pretty-prints JSON text and values, and cuts what is too long to show', () => {
    expect(prettyPayload('{"a":[1,2]}').text).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(prettyPayload('not json').text).toBe('not json');
    expect(prettyPayload({ a: 1 }).text).toBe('{\n  "a": 1\n}');
    const long = prettyPayload('x'.repeat(PAYLOAD_SHOWN_CHARS + 1));
    expect(long).toEqual({ text: 'x'.repeat(PAYLOAD_SHOWN_CHARS), truncated: true });
  });
});
