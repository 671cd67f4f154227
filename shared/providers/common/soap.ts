/**
 * SOAP 1.1 envelopes built and read with fast-xml-parser (never string concatenation): an envelope builder,
 * a WS-Security `UsernameToken` header (PasswordText profile), a parser configured for namespace-free reading
 * (`removeNSPrefix`, every value kept as text) and a fault reader that also accepts the SOAP 1.2 shape.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

export const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const WSSE_PASSWORD_TEXT =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

/** An element as fast-xml-parser sees it: child elements by name, attributes as `@_name`, text as `#text`. */
export type XmlNode = { [name: string]: unknown };

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
});

/** `<env:Envelope>` with an optional header and the given body children; values are escaped by the builder. */
export function buildSoapEnvelope(input: { header?: XmlNode; body: XmlNode }): string {
  const envelope: XmlNode = { '@_xmlns:env': SOAP_ENVELOPE_NS };
  if (input.header) envelope['env:Header'] = input.header;
  envelope['env:Body'] = input.body;
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ 'env:Envelope': envelope })}`;
}

/** WS-Security header with a clear-text `UsernameToken` (TLS protects it in transit). */
export function wsSecurityUsernameToken(username: string, password: string): XmlNode {
  return {
    'wsse:Security': {
      '@_xmlns:wsse': WSSE_NS,
      '@_env:mustUnderstand': '1',
      'wsse:UsernameToken': {
        'wsse:Username': username,
        'wsse:Password': { '@_Type': WSSE_PASSWORD_TEXT, '#text': password },
      },
    },
  };
}

/**
 * A parser that drops namespace prefixes, keeps attributes as `@_name`, keeps every value as text (ids such as
 * `00042` must not become numbers) and turns the named elements into arrays even when they occur once.
 */
export function createSoapParser(arrayElements: ReadonlySet<string>): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => arrayElements.has(name),
  });
}

export interface SoapFault {
  /** `faultcode` (SOAP 1.1) or `Code/Value` (1.2), e.g. `SOAP-ENV:Client.validationError`. */
  code: string;
  /** `faultstring` (1.1) or `Reason/Text` (1.2). */
  message: string;
  /** Every `Message` / `Detail_Message` text found under `detail`, in document order. */
  details: string[];
}

export interface SoapEnvelope {
  /** Children of `Body`. */
  body: XmlNode;
  fault: SoapFault | null;
}

export function isXmlNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text content of an element parsed with `createSoapParser` (plain text, or `#text` next to attributes). */
export function xmlText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isXmlNode(value) && typeof value['#text'] === 'string') return value['#text'];
  if (Array.isArray(value)) return xmlText(value[0]);
  return null;
}

function collectDetailMessages(node: unknown, into: string[], depth = 0): void {
  if (depth > 8 || into.length >= 20) return;
  if (Array.isArray(node)) {
    for (const item of node) collectDetailMessages(item, into, depth + 1);
    return;
  }
  if (!isXmlNode(node)) return;
  for (const [name, child] of Object.entries(node)) {
    if (name === 'Message' || name === 'Detail_Message') {
      const texts = Array.isArray(child) ? child : [child];
      for (const item of texts) {
        const text = xmlText(item);
        if (text) into.push(text);
      }
    } else {
      collectDetailMessages(child, into, depth + 1);
    }
  }
}

function readFault(fault: unknown): SoapFault {
  const node = isXmlNode(fault) ? fault : {};
  const code12 = isXmlNode(node['Code']) ? xmlText(node['Code']['Value']) : null;
  const reason12 = isXmlNode(node['Reason']) ? xmlText(node['Reason']['Text']) : null;
  const details: string[] = [];
  collectDetailMessages(node['detail'] ?? node['Detail'], details);
  return {
    code: xmlText(node['faultcode']) ?? code12 ?? '',
    message: xmlText(node['faultstring']) ?? reason12 ?? '',
    details,
  };
}

/** The envelope's body and fault, or null when the text is not a SOAP envelope at all. */
export function readSoapEnvelope(parser: XMLParser, xml: string): SoapEnvelope | null {
  if (!xml.trimStart().startsWith('<')) return null;
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch {
    return null;
  }
  if (!isXmlNode(document)) return null;
  const envelope = document['Envelope'];
  if (!isXmlNode(envelope)) return null;
  const rawBody = envelope['Body'];
  const body = isXmlNode(rawBody) ? rawBody : {};
  const fault = body['Fault'];
  return { body, fault: fault === undefined ? null : readFault(fault) };
}
