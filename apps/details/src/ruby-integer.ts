/**
 * Ruby's `Integer(string)` as details.rb uses it to read the product id: optional sign and
 * surrounding whitespace, `0x`/`0b`/`0o`/`0d` prefixes, a leading `0` meaning octal, and single
 * underscores between digits. Arbitrary precision, so the id is a bigint.
 */
const FORMS: readonly { readonly pattern: RegExp; readonly prefix: string }[] = [
  { pattern: /^0[xX]([0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)$/, prefix: '0x' },
  { pattern: /^0[bB]([01]+(?:_[01]+)*)$/, prefix: '0b' },
  { pattern: /^0[oO_]?([0-7]+(?:_[0-7]+)*)$/, prefix: '0o' },
  { pattern: /^0[dD]([0-9]+(?:_[0-9]+)*)$/, prefix: '' },
  { pattern: /^([1-9][0-9]*(?:_[0-9]+)*|0)$/, prefix: '' },
];

export function parseRubyInteger(text: string): bigint | undefined {
  const trimmed = text.trim();
  const signMatch = /^([+-]?)(.*)$/s.exec(trimmed);
  const sign = signMatch?.[1] ?? '';
  const body = signMatch?.[2] ?? '';
  for (const form of FORMS) {
    const digits = form.pattern.exec(body)?.[1];
    if (digits === undefined) continue;
    const value = BigInt(form.prefix + digits.replace(/_/g, ''));
    return sign === '-' ? -value : value;
  }
  return undefined;
}
