/**
 * The Workday fake's SOAP layer, built on fast-xml-parser: reading request envelopes (WS-Security
 * `UsernameToken`, the operation element) and writing response envelopes and faults. Faults are answered with
 * HTTP 500 and `faultcode`s `SOAP-ENV:Client.authenticationError` / `Client.validationError` /
 * `Client.processingError` (the fake's choice following public clients; unverified).
 */
import { XMLBuilder } from 'fast-xml-parser';
import { createSoapParser } from '../../../shared/providers/common/soap.js';
import type { FakeResponse } from '../common/loopback-server.js';

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WD_NS = 'urn:com.workday/bsvc';

export type Node = { [name: string]: unknown };

const parser = createSoapParser(
  new Set(['ID', 'Transaction_Log_Criteria_Data', 'Transaction_Type_Reference']),
);

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
});

export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isNode(value) && typeof value['#text'] === 'string') return value['#text'];
  return undefined;
}

export interface SoapRequest {
  username: string | undefined;
  password: string | undefined;
  /** Operation element name, e.g. `Get_Candidates_Request`. */
  operation: string | undefined;
  payload: Node;
}

export function readRequest(xml: string): SoapRequest | null {
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch {
    return null;
  }
  if (!isNode(document) || !isNode(document['Envelope'])) return null;
  const envelope = document['Envelope'];
  const header = isNode(envelope['Header']) ? envelope['Header'] : {};
  const security = isNode(header['Security']) ? header['Security'] : {};
  const token = isNode(security['UsernameToken']) ? security['UsernameToken'] : {};
  const body = isNode(envelope['Body']) ? envelope['Body'] : {};
  const operation = Object.keys(body).find((name) => name.endsWith('_Request'));
  const payload = operation && isNode(body[operation]) ? (body[operation] as Node) : {};
  return { username: text(token['Username']), password: text(token['Password']), operation, payload };
}

/** The typed ids of a `*_Reference` element of a request. */
export function referenceIds(value: unknown): { type: string | undefined; value: string }[] {
  if (!isNode(value) || !Array.isArray(value['ID'])) return [];
  return value['ID'].map((id) => ({
    type: isNode(id) ? (id['@_type'] as string | undefined) : undefined,
    value: text(id) ?? '',
  }));
}

export function typedId(type: string, value: string): Node {
  return { '@_wd:type': type, '#text': value };
}

export function envelope(body: Node): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({
    'env:Envelope': { '@_xmlns:env': SOAP_NS, 'env:Body': body },
  })}`;
}

export function soapResponse(body: Node): FakeResponse {
  return { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: envelope(body) };
}

export type FaultKind = 'authentication' | 'validation' | 'processing' | 'server' | 'client';

/** A SOAP 1.1 fault in the layout Workday uses (`detail/wd:Validation_Fault/wd:Validation_Error`). */
export function soapFault(kind: FaultKind, message: string, xpath?: string): FakeResponse {
  const faultcode =
    kind === 'authentication'
      ? 'SOAP-ENV:Client.authenticationError'
      : kind === 'validation'
        ? 'SOAP-ENV:Client.validationError'
        : kind === 'processing'
          ? 'SOAP-ENV:Client.processingError'
          : kind === 'server'
            ? 'SOAP-ENV:Server'
            : 'SOAP-ENV:Client';
  const fault: Node = { faultcode, faultstring: message };
  if (kind === 'validation') {
    fault['detail'] = {
      'wd:Validation_Fault': {
        'wd:Validation_Error': {
          'wd:Message': message,
          'wd:Detail_Message': message,
          'wd:Xpath': xpath ?? '',
        },
      },
    };
  } else if (kind === 'processing') {
    fault['detail'] = { 'wd:Processing_Fault': { 'wd:Detail_Message': message } };
  }
  const xml = `<?xml version="1.0" encoding="UTF-8"?>${builder.build({
    'SOAP-ENV:Envelope': {
      '@_xmlns:SOAP-ENV': SOAP_NS,
      'SOAP-ENV:Body': { 'SOAP-ENV:Fault': { '@_xmlns:wd': WD_NS, ...fault } },
    },
  })}`;
  return { status: 500, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: xml };
}
