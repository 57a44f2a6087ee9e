/** HTML building blocks for the server-rendered UI: escaping, the page shell (inline CSS, no scripts), formats. */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Microseconds in the unit a reader wants: 850µs, 12.345ms, 1.2s. */
export function formatDuration(us: number | undefined): string {
  if (us === undefined) return '—';
  if (us < 1000) return `${us}µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(3).replace(/\.?0+$/, '')}ms`;
  return `${(us / 1_000_000).toFixed(3).replace(/\.?0+$/, '')}s`;
}

export function formatTime(us: number | undefined): string {
  if (us === undefined || us === 0) return '—';
  return new Date(Math.floor(us / 1000)).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

/** A stable hue per service, so a service keeps its colour across the list and the waterfall. */
export function serviceHue(service: string): number {
  let h = 0;
  for (let i = 0; i < service.length; i += 1) h = (h * 31 + service.charCodeAt(i)) % 360;
  return h;
}

const STYLE = `
:root { color-scheme: light; --fg: #1d2430; --muted: #5a6472; --line: #d9dee5; --accent: #1c5fb8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #f6f7f9; }
header { background: #20304a; color: #fff; padding: .6rem 1.2rem; display: flex; gap: 1rem; align-items: baseline; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
main { padding: 1rem 1.2rem; max-width: 1400px; }
h1 { font-size: 1.25rem; margin: 0 0 .8rem; }
a { color: var(--accent); }
form.search { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; background: #fff; padding: .8rem; border: 1px solid var(--line); border-radius: 6px; }
form.search label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); gap: .2rem; }
input, select, button { font: inherit; padding: .3rem .45rem; border: 1px solid #b8c0cc; border-radius: 4px; background: #fff; }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); margin-top: 1rem; }
th, td { text-align: left; padding: .35rem .55rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .8rem; color: var(--muted); font-weight: 600; background: #fafbfc; }
td.num, th.num { text-align: right; white-space: nowrap; }
.svc { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .8rem; margin: 0 .2rem .1rem 0; }
.muted { color: var(--muted); }
.error { color: #a11; background: #fff0f0; border: 1px solid #f3c2c2; padding: .5rem .8rem; border-radius: 4px; }
.waterfall td.name { white-space: nowrap; width: 38%; }
.waterfall summary { cursor: pointer; }
.track { position: relative; height: 1.1rem; background: repeating-linear-gradient(90deg, transparent 0 calc(25% - 1px), #eceff3 calc(25% - 1px) 25%); }
.bar { position: absolute; top: .15rem; height: .8rem; min-width: 2px; border-radius: 2px; }
.bar.error { outline: 2px solid #c0392b; }
dl.tags { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: .4rem 0 .3rem 1rem; font-size: .8rem; white-space: normal; }
dl.tags dt { color: var(--muted); }
dl.tags dd { margin: 0; word-break: break-all; font-family: ui-monospace, monospace; }
.summary { display: flex; gap: 1.5rem; flex-wrap: wrap; color: var(--muted); }
`;

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Trellis trace store</title>
<style>${STYLE}</style>
</head>
<body>
<header><a href="/zipkin/">Trellis traces</a><span class="muted">Zipkin API on this port: /api/v2</span></header>
<main>
${body}
</main>
</body>
</html>
`;
}

export function serviceBadge(service: string): string {
  return `<span class="svc" style="background: hsl(${serviceHue(service)} 70% 88%)">${escapeHtml(service)}</span>`;
}
