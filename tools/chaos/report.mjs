// The chaos table: one row per scenario, the columns docs/reliability.md shows, and its verdict.
const ms = (v) => (Number.isFinite(v) ? `${Math.round(v)} ms` : '–');
const failures = (f) => Object.entries(f ?? {}).filter(([, n]) => n > 0).map(([k, n]) => `${n}× ${k}`).join(', ') || '0';

export function formatTable(rows, { header }) {
  const cells = rows.map((r) => [r.scenario, String(r.sent), String(r.ok), failures(r.failed), ms(r.p99), ms(r.recoveryMs), r.configLost ? 'YES' : 'no', r.verdict ?? '', r.note ?? '']);
  const head = ['scenario', 'sent', 'succeeded', 'failed (code flag)', 'p99 in fault', 'recovery', 'config lost', 'verdict', 'notes'];
  const lines = cells.map((c) => `| ${c.join(' | ')} |`);
  return header ? [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...lines].join('\n') : lines.join('\n');
}
