/** AWS's rules for names of state machines, executions, activities and aliases. */
// Whitespace, brackets, wildcards, the listed punctuation, and control characters are not allowed.
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ufffe\uffff]/u;

export function nameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 80) return 'must be 1 to 80 characters long';
  if (FORBIDDEN.test(name)) return 'contains a character that is not allowed';
  if (/[\ud800-\udfff]/.test(name.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) return 'contains an unpaired surrogate';
  return undefined;
}
