/** A JSONata template is a whole JSON string of the form `{% expr %}`; anything else is literal. */
export function isJsonataTemplate(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 4 && value.startsWith('{%') && value.endsWith('%}');
}
