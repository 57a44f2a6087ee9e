/**
 * The subset of Python's json2html used by the landing page: objects become key/value tables,
 * lists of objects with the same keys become one table with a header row, empty lists vanish.
 */
import { escapeHtml, jinjaText } from './html';

const TABLE_ATTRIBUTES = 'class="table table-condensed table-bordered table-hover"';

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameKeys(items: readonly Json[]): string[] | undefined {
  if (items.length === 0 || !items.every(isObject)) return undefined;
  const keys = Object.keys(items[0] as Record<string, Json>);
  const all = (items as Record<string, Json>[]).every((item) => Object.keys(item).join('\u0000') === keys.join('\u0000'));
  return all ? keys : undefined;
}

function convertList(items: readonly Json[]): string {
  if (items.length === 0) return '';
  const keys = sameKeys(items);
  if (keys === undefined) return `<ul>${items.map((item) => `<li>${convert(item)}</li>`).join('')}</ul>`;
  const head = keys.map((key) => `<th>${escapeHtml(key)}</th>`).join('');
  const rows = (items as Record<string, Json>[])
    .map((item) => `<tr>${keys.map((key) => `<td>${convert(item[key])}</td>`).join('')}</tr>`)
    .join('');
  return `<table ${TABLE_ATTRIBUTES}><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

export function convert(value: Json): string {
  if (Array.isArray(value)) return convertList(value);
  if (isObject(value)) {
    const rows = Object.entries(value).map(([key, item]) => `<tr><th>${escapeHtml(key)}</th><td>${convert(item)}</td></tr>`);
    return `<table ${TABLE_ATTRIBUTES}>${rows.join('')}</table>`;
  }
  return escapeHtml(jinjaText(value));
}
