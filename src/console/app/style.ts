/** The console's stylesheet (served as /assets/console.css; no inline styles, so CSP can forbid them). */
export const CONSOLE_CSS = `
:root {
  --ink: #16191f; --muted: #687078; --line: #d5dbdb; --panel: #ffffff; --page: #f2f3f3;
  --nav: #232f3e; --accent: #ec7211; --link: #0073bb;
  --succeeded: #1d8102; --succeeded-bg: #e3f6df;
  --failed: #d13212; --failed-bg: #fde3e0;
  --caught: #ec7211; --caught-bg: #fdebd3;
  --retried: #b58d00; --retried-bg: #fdf6d2;
  --running: #0073bb; --running-bg: #dcecfb;
  --notReached: #687078; --notReached-bg: #f4f5f5;
  --aborted: #545b64; --aborted-bg: #e9ebed;
}
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font: 14px/1.45 "Amazon Ember", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; color: var(--ink); background: var(--page); }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre, .mono { font-family: Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
header.top { background: var(--nav); color: #fff; display: flex; align-items: center; gap: 24px; padding: 0 20px; height: 48px; }
header.top .brand { color: #fff; font-weight: 700; font-size: 16px; }
header.top .brand span { color: var(--accent); }
header.top nav a { color: #d5dbdb; margin-right: 16px; }
header.top .spacer { flex: 1; }
header.top .who { color: #d5dbdb; font-size: 13px; }
header.top form { margin: 0; }
header.top button { background: transparent; color: #fff; border: 1px solid #879596; border-radius: 2px; padding: 4px 10px; cursor: pointer; }
main { padding: 20px; max-width: 1400px; margin: 0 auto; }
.crumbs { color: var(--muted); font-size: 13px; margin-bottom: 6px; }
h1 { font-size: 24px; font-weight: 400; margin: 0 0 16px; word-break: break-all; }
h2 { font-size: 18px; font-weight: 700; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 12px 0 6px; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 2px; box-shadow: 0 1px 1px rgba(0,28,36,.15); padding: 16px 20px; margin-bottom: 20px; }
.panel > h2 { border-bottom: 1px solid var(--line); padding-bottom: 10px; margin: -4px -20px 14px; padding-left: 20px; padding-right: 20px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px 24px; }
.field .label { color: var(--muted); font-size: 12px; }
.field .value { word-break: break-all; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid #eaeded; vertical-align: top; }
th { background: #fafafa; font-weight: 700; color: #545b64; font-size: 13px; }
tr.clickable { cursor: pointer; }
tr.clickable:hover td { background: #f1faff; }
tr.selected td { background: #e6f2fb; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 700; border: 1px solid; white-space: nowrap; }
.vs-succeeded { color: var(--succeeded); background: var(--succeeded-bg); border-color: var(--succeeded); }
.vs-failed { color: var(--failed); background: var(--failed-bg); border-color: var(--failed); }
.vs-caught { color: #b9560d; background: var(--caught-bg); border-color: var(--caught); }
.vs-retried { color: #8a6b00; background: var(--retried-bg); border-color: var(--retried); }
.vs-running { color: var(--running); background: var(--running-bg); border-color: var(--running); }
.vs-notReached { color: var(--notReached); background: var(--notReached-bg); border-color: #aab7b8; }
.vs-aborted { color: var(--aborted); background: var(--aborted-bg); border-color: var(--aborted); }
.bar rect.vs-succeeded { fill: var(--succeeded); } .bar rect.vs-failed { fill: var(--failed); }
.bar rect.vs-caught { fill: var(--caught); } .bar rect.vs-retried { fill: var(--retried); }
.bar rect.vs-running { fill: var(--running); } .bar rect.vs-aborted { fill: var(--aborted); }
.bar { width: 100%; height: 12px; display: block; background: #f4f5f5; }
.counts .badge { margin-right: 4px; }
pre.json { background: #fafafa; border: 1px solid #eaeded; padding: 8px 10px; margin: 4px 0; max-height: 420px; overflow: auto; white-space: pre-wrap; word-break: break-all; }
pre.definition { max-height: 600px; }
details > summary { cursor: pointer; color: var(--link); }
.alert { border: 1px solid; border-left-width: 4px; padding: 10px 14px; margin-bottom: 16px; background: #fff; }
.alert.error { border-color: var(--failed); background: var(--failed-bg); }
.alert.info { border-color: var(--running); background: var(--running-bg); }
.alert .title { font-weight: 700; }
.alert pre { white-space: pre-wrap; word-break: break-all; margin: 6px 0 0; max-height: 260px; overflow: auto; }
button, .button { font: inherit; font-weight: 700; border-radius: 2px; padding: 5px 16px; cursor: pointer; border: 1px solid #545b64; background: #fff; color: #545b64; display: inline-block; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger { border-color: var(--failed); color: var(--failed); }
button:disabled { opacity: .5; cursor: default; }
.actions { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.actions form { margin: 0; }
form.stack label { display: block; font-weight: 700; margin: 10px 0 4px; }
form.stack input[type=text], form.stack input[type=password], form.stack textarea, form.stack select { width: 100%; padding: 6px 8px; border: 1px solid #aab7b8; border-radius: 2px; font: inherit; }
form.stack textarea { font-family: Menlo, Consolas, monospace; font-size: 12.5px; min-height: 140px; }
form.inline { display: flex; gap: 8px; align-items: end; flex-wrap: wrap; margin-bottom: 12px; }
form.inline label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
form.inline input, form.inline select { padding: 5px 8px; border: 1px solid #aab7b8; border-radius: 2px; font: inherit; }
.json-error { color: var(--failed); font-weight: 700; min-height: 1.2em; margin: 4px 0; }
.pager { display: flex; gap: 16px; margin-top: 10px; }
.login { max-width: 420px; margin: 60px auto; }
.diagram-tools { display: flex; gap: 6px; margin-bottom: 8px; align-items: center; }
.diagram-tools button { padding: 2px 10px; }
.sw-viewport { position: relative; overflow: hidden; height: 620px; border: 1px solid #eaeded; background: #fff; cursor: grab; touch-action: none; user-select: none; }
.sw-viewport.dragging { cursor: grabbing; }
.sw-canvas { position: absolute; left: 0; top: 0; transform-origin: 0 0; }
.sw-canvas svg { display: block; }
.sw-canvas g.sw-state { cursor: pointer; }
.sw-canvas g.sw-state.sw-selected { filter: drop-shadow(0 0 3px #0073bb) drop-shadow(0 0 3px #0073bb); }
.exec-layout { display: grid; grid-template-columns: minmax(0, 2fr) minmax(300px, 1fr); gap: 20px; }
.exec-layout > .panel { min-width: 0; }
.state-panel pre.json { max-height: 320px; }
@media (max-width: 1000px) { .exec-layout { grid-template-columns: 1fr; } }
.state-panel .empty { color: var(--muted); }
.indent-1 { padding-left: 24px; } .indent-2 { padding-left: 44px; } .indent-3 { padding-left: 64px; } .indent-4 { padding-left: 84px; }
.live { color: var(--running); font-size: 12px; font-weight: 700; }
.history td.details { width: 45%; }
.nowrap { white-space: nowrap; }
ol.fire-times { margin: 0; padding-left: 18px; white-space: nowrap; }
pre.json.pattern { max-height: 160px; margin: 0; }
`;
