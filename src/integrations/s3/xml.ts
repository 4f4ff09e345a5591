/**
 * The little XML S3 speaks: documents written as S3 writes them (declaration, S3's namespace,
 * no whitespace between elements) and request documents (CreateBucketConfiguration, Delete,
 * NotificationConfiguration) read into a tree. The reader knows elements, attributes (skipped),
 * text, CDATA, comments and the five entities plus character references; a DOCTYPE is refused,
 * so no entity can expand.
 */
import { S3Error } from './errors.js';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** What an element holds: text, child elements in order, or nothing. Undefined members are left out. */
export type XmlContent = string | number | boolean | undefined | XmlNode[];

export interface XmlNode {
  name: string;
  content: XmlContent;
}

export const el = (name: string, content: XmlContent): XmlNode => ({ name, content });

function render(node: XmlNode, xmlns?: string): string {
  const attr = xmlns ? ` xmlns="${xmlns}"` : '';
  const c = node.content;
  if (c === undefined) return '';
  if (Array.isArray(c)) return `<${node.name}${attr}>${c.map((n) => render(n)).join('')}</${node.name}>`;
  const text = escapeXml(String(c));
  return text === '' && !xmlns ? `<${node.name}></${node.name}>` : `<${node.name}${attr}>${text}</${node.name}>`;
}

/** A whole document: the declaration and the root element in S3's namespace. */
export function xmlDocument(root: XmlNode, namespaced = true): string {
  return DECLARATION + render(root, namespaced ? S3_NAMESPACE : undefined);
}

/** A parsed element: its local name (prefix dropped), text, and child elements. */
export interface XmlElement {
  name: string;
  text: string;
  children: XmlElement[];
}

export function child(e: XmlElement, name: string): XmlElement | undefined {
  return e.children.find((c) => c.name === name);
}

export function childrenNamed(e: XmlElement, name: string): XmlElement[] {
  return e.children.filter((c) => c.name === name);
}

export function childText(e: XmlElement, name: string): string | undefined {
  return child(e, name)?.text;
}

const malformed = () => new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (code > 0x10ffff) throw malformed();
      return String.fromCodePoint(code);
    }
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e] as string;
  });
}

/** Parses a request document; anything not well-formed is S3's MalformedXML. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const skipMisc = () => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i] as string)) i++;
      if (text.startsWith('<?', i)) {
        const end = text.indexOf('?>', i);
        if (end < 0) throw malformed();
        i = end + 2;
      } else if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i);
        if (end < 0) throw malformed();
        i = end + 3;
      } else if (text.startsWith('<!', i) && !text.startsWith('<![CDATA[', i)) {
        throw malformed(); // DOCTYPE and its entities: never expanded
      } else return;
    }
  };
  const parseElement = (depth: number): XmlElement => {
    if (depth > 32 || text[i] !== '<') throw malformed();
    const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(text.slice(i, i + 4096));
    if (!m) throw malformed();
    const qname = m[1] as string;
    const name = qname.includes(':') ? qname.slice(qname.indexOf(':') + 1) : qname;
    i += m[0].length;
    const node: XmlElement = { name, text: '', children: [] };
    if (m[3] === '/') return node;
    let textParts = '';
    for (;;) {
      if (i >= text.length) throw malformed();
      if (text.startsWith('</', i)) {
        const close = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(text.slice(i, i + 512));
        if (!close || close[1] !== qname) throw malformed();
        i += close[0].length;
        node.text = node.children.length === 0 ? textParts : textParts.trim();
        return node;
      }
      if (text.startsWith('<![CDATA[', i)) {
        const end = text.indexOf(']]>', i);
        if (end < 0) throw malformed();
        textParts += text.slice(i + 9, end);
        i = end + 3;
      } else if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i);
        if (end < 0) throw malformed();
        i = end + 3;
      } else if (text[i] === '<') {
        node.children.push(parseElement(depth + 1));
      } else {
        const next = text.indexOf('<', i);
        if (next < 0) throw malformed();
        textParts += decodeEntities(text.slice(i, next));
        i = next;
      }
    }
  };
  skipMisc();
  const root = parseElement(0);
  skipMisc();
  if (i !== text.length) throw malformed();
  return root;
}
