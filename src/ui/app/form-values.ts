/** Reading what was typed into a form: numbers and lists, with mistakes named before anything is sent. */

/** A mistake the page finds before sending: shown like the API's own messages. */
export class FormMistake extends Error {}

/** A number typed into a field, or `empty` when blank; a mistake names the field. */
export function numberField<Empty>(
  text: string,
  label: string,
  empty: Empty,
  options: { whole?: boolean } = {},
): number | Empty {
  const trimmed = text.trim().replace(/^\$/, '').replaceAll(',', '');
  if (trimmed === '') return empty;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0 || (options.whole && !Number.isInteger(value))) {
    throw new FormMistake(
      `${label} must be ${options.whole ? 'a whole number' : 'a number'} of 0 or more (or blank for none); got "${text.trim()}".`,
    );
  }
  return value;
}

/** A comma-separated list: `sonnet, haiku` → ['sonnet', 'haiku']. */
export function listField(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
