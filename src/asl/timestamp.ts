/**
 * RFC 3339 / ISO-8601 extended offset date-times as Step Functions accepts them
 * (`2016-03-14T01:59:00Z`, `2016-03-14T01:59:00.123+02:00`): uppercase T, an offset or Z.
 */
const RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/;

/** Epoch milliseconds, or undefined when the text is not a valid timestamp. */
export function parseTimestamp(text: string): number | undefined {
  const m = RE.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  let offsetMin = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 18 || om > 59) return undefined;
    offsetMin = (m[8]?.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const frac = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second, frac) - offsetMin * 60_000;
}
