/**
 * Type sniffing of uploaded resumes (docs/reliability.md §8): the client's Content-Type and file name are not
 * trusted; the first bytes (and, for ZIP-based formats and polyglots, the last ones) decide. Pure, no I/O.
 *
 * Allowed (docs/api.md): PDF (`%PDF-` at offset 0), DOCX (a ZIP whose entries include `[Content_Types].xml` and
 * `word/document.xml`), legacy DOC (OLE compound file `D0 CF 11 E0 A1 B1 1A E1`) and plain text (strict
 * UTF-8 without NUL or control characters, not markup). Everything else is refused: executables, scripts,
 * other ZIPs, HTML/SVG/XML, unknown binaries, empty objects, and polyglots (a PDF that is also a ZIP, a DOCX
 * that a PDF reader would open, which looks for `%PDF-` within the first 1024 bytes).
 */
import { TextDecoder } from 'node:util';

/** Bytes of the object's start and end the sniffer reads; smaller objects are passed whole. */
export const SNIFF_HEAD_BYTES = 64 * 1024;
export const SNIFF_TAIL_BYTES = 64 * 1024;

export type SniffedType =
  | 'pdf'
  | 'docx'
  | 'doc'
  | 'text'
  | 'empty'
  | 'executable'
  | 'script'
  | 'zip'
  | 'html'
  | 'polyglot'
  | 'unknown';

/** Declared content types of docs/api.md and the sniffed type each must have. */
export const ALLOWED_RESUME_TYPES: Readonly<Record<string, SniffedType>> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/msword': 'doc',
  'text/plain': 'text',
};

const PDF = Buffer.from('%PDF-', 'latin1');
const ZIP_LOCAL = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const ZIP_CENTRAL = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const EXECUTABLES = [
  Buffer.from('MZ', 'latin1'), // PE / DOS
  Buffer.from([0x7f, 0x45, 0x4c, 0x46]), // ELF
  Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), // Mach-O 64
  Buffer.from([0xce, 0xfa, 0xed, 0xfe]), // Mach-O 32
  Buffer.from([0xfe, 0xed, 0xfa, 0xce]),
  Buffer.from([0xfe, 0xed, 0xfa, 0xcf]),
  Buffer.from([0xca, 0xfe, 0xba, 0xbe]), // Mach-O universal / Java class
  Buffer.from([0x00, 0x61, 0x73, 0x6d]), // WebAssembly
];
const MARKUP =
  /^<(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|meta|link|style|a\s|img|div|form)/i;
const ACTIVE_CONTENT = /<(?:script|iframe|object|embed|svg)[\s>/]/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what marks a binary
const BINARY_CONTROLS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

const startsWith = (bytes: Buffer, magic: Buffer) =>
  bytes.length >= magic.length && bytes.subarray(0, magic.length).equals(magic);

export interface SniffInput {
  /** The first bytes of the object (up to SNIFF_HEAD_BYTES, or all of it). */
  head: Buffer;
  /** The last bytes (up to SNIFF_TAIL_BYTES); absent when `head` holds the whole object. */
  tail?: Buffer;
  /** Actual size of the object in bytes. */
  sizeBytes: number;
}

export interface Sniffed {
  type: SniffedType;
  reason: string;
}

function isText(head: Buffer, complete: boolean): boolean {
  try {
    // stream: a head cut inside a multi-byte character is not an error
    const text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return !BINARY_CONTROLS.test(text);
  } catch {
    return false;
  }
}

function markup(head: Buffer): boolean {
  const text = head
    .subarray(0, 4096)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return MARKUP.test(text) || ACTIVE_CONTENT.test(head.toString('utf8'));
}

export function sniffDocument(input: SniffInput): Sniffed {
  const { head, sizeBytes } = input;
  const whole = input.tail === undefined || head.length >= sizeBytes;
  const tail = input.tail ?? head;
  if (sizeBytes === 0 || head.length === 0) return { type: 'empty', reason: 'the object is empty' };
  if (EXECUTABLES.some((m) => startsWith(head, m)))
    return { type: 'executable', reason: 'executable signature' };
  if (startsWith(head, Buffer.from('#!', 'latin1')))
    return { type: 'script', reason: 'script (#!) signature' };
  const zipInside = (bytes: Buffer, from: number) =>
    bytes.indexOf(ZIP_LOCAL, from) !== -1 || bytes.indexOf(ZIP_END) !== -1;
  if (startsWith(head, PDF)) {
    // ZIP readers find a ZIP from its end record; a PDF with one is a PDF+ZIP polyglot
    if (zipInside(head, 1) || zipInside(tail, 0))
      return { type: 'polyglot', reason: 'PDF that also carries a ZIP archive' };
    return { type: 'pdf', reason: '%PDF- signature' };
  }
  // a PDF reader accepts %PDF- anywhere in the first 1024 bytes: such a file is a PDF as well
  if (head.subarray(0, 1024).indexOf(PDF) !== -1)
    return { type: 'polyglot', reason: '%PDF- header after other content' };
  if (startsWith(head, ZIP_LOCAL)) {
    const names = Buffer.concat([head, tail]);
    const hasCentral = tail.indexOf(ZIP_CENTRAL) !== -1 || head.indexOf(ZIP_CENTRAL) !== -1;
    if (
      names.indexOf('[Content_Types].xml') !== -1 &&
      names.indexOf('word/document.xml') !== -1 &&
      hasCentral
    ) {
      return { type: 'docx', reason: 'ZIP with [Content_Types].xml and word/document.xml' };
    }
    return { type: 'zip', reason: 'ZIP archive that is not a Word document' };
  }
  if (startsWith(head, OLE)) return { type: 'doc', reason: 'OLE compound file signature' };
  if (isText(head, whole)) {
    if (markup(head)) return { type: 'html', reason: 'markup (HTML, SVG or XML) declared as text' };
    return { type: 'text', reason: 'UTF-8 text' };
  }
  return { type: 'unknown', reason: 'no allowed signature' };
}

/** Whether the sniffed type is allowed and is the type the upload declared. */
export function matchesDeclared(sniffed: SniffedType, declaredContentType: string): boolean {
  const expected = ALLOWED_RESUME_TYPES[declaredContentType.toLowerCase()];
  return expected !== undefined && expected === sniffed;
}
