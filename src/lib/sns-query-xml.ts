/**
 * SNS's Query API answers in XML (AWS's "Query API" responses, as the SNS API reference shows
 * them): `<ActionResponse xmlns=…><ActionResult>…</ActionResult><ResponseMetadata><RequestId>…`,
 * lists as `<member>` elements, maps (`Attributes`) as `<entry><key>…</key><value>…</value></entry>`,
 * and errors as `<ErrorResponse xmlns=…><Error><Type>Sender|Receiver</Type><Code>…</Code>
 * <Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`. Indented as AWS indents
 * them. Both the API edge (refusals before the SNS handler) and the SNS handler write them. Pure.
 */

export const SNS_XML_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
export const SNS_API_VERSION = '2010-03-31';
export const SNS_XML_CONTENT_TYPE = 'text/xml';

/** A result member: text, a list of structures (`member`), a structure, or a map of text (`entry`). */
export type XmlValue = string | readonly XmlStructure[] | XmlStructure | XmlMap;
export interface XmlStructure {
  readonly [member: string]: XmlValue | undefined;
}
/** A map of text (SNS's `Attributes`), a class so that it is told apart from a structure. */
export class XmlMap {
  constructor(readonly entries: Readonly<Record<string, string>>) {}
}

/** Text for an XML element: `&`, `<`, `>`, quotes, and carriage returns (which parsers would drop) escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' })[c] as string);
}

function members(s: XmlStructure, indent: string): string {
  let out = '';
  for (const [name, value] of Object.entries(s)) {
    if (value !== undefined) out += element(name, value, indent);
  }
  return out;
}

function element(name: string, value: XmlValue, indent: string): string {
  const inner = `${indent}  `;
  if (typeof value === 'string') return `${indent}<${name}>${escapeXml(value)}</${name}>\n`;
  if (Array.isArray(value)) {
    const list = value as readonly XmlStructure[];
    if (list.length === 0) return `${indent}<${name}/>\n`;
    return `${indent}<${name}>\n${list.map((m) => `${inner}<member>\n${members(m, `${inner}  `)}${inner}</member>\n`).join('')}${indent}</${name}>\n`;
  }
  if (value instanceof XmlMap) {
    const entries = Object.entries(value.entries);
    if (entries.length === 0) return `${indent}<${name}/>\n`;
    const e = `${inner}  `;
    return `${indent}<${name}>\n${entries.map(([k, v]) => `${inner}<entry>\n${e}<key>${escapeXml(k)}</key>\n${e}<value>${escapeXml(v)}</value>\n${inner}</entry>\n`).join('')}${indent}</${name}>\n`;
  }
  return `${indent}<${name}>\n${members(value as XmlStructure, inner)}${indent}</${name}>\n`;
}

/** A successful answer; an action whose result has no members (DeleteTopic, Unsubscribe) has no `<ActionResult>`. */
export function snsResponseXml(action: string, result: XmlStructure | undefined, requestId: string): string {
  const body = result && Object.values(result).some((v) => v !== undefined) ? `  <${action}Result>\n${members(result, '    ')}  </${action}Result>\n` : '';
  return `<${action}Response xmlns="${SNS_XML_NAMESPACE}">\n${body}  <ResponseMetadata>\n    <RequestId>${escapeXml(requestId)}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`;
}

/** An error answer: `Sender` for a client's fault (4xx), `Receiver` for the service's (5xx). */
export function snsErrorXml(code: string, message: string, status: number, requestId: string): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse xmlns="${SNS_XML_NAMESPACE}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${escapeXml(code)}</Code>\n    <Message>${escapeXml(message)}</Message>\n  </Error>\n` +
    `  <RequestId>${escapeXml(requestId)}</RequestId>\n</ErrorResponse>\n`
  );
}
