/**
 * A streaming multipart/form-data parser (RFC 7578 over RFC 2046 §5.1), enough for S3 browser uploads:
 * body parts are announced with their headers, their content is pushed in pieces as it arrives (the
 * file part is never held in memory whole), and only a delimiter-sized tail is kept between chunks.
 * Preamble and epilogue are ignored; transport padding after a delimiter is accepted.
 */

export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

export interface PartHeaders {
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** `form-data` (lower-cased) when present. */
  disposition: string | undefined;
  /** The `name` parameter, as sent. */
  name: string | undefined;
  /** The `filename` parameter when present (may be empty). */
  filename: string | undefined;
  contentType: string | undefined;
}

export interface MultipartHandlers {
  onPartStart(part: PartHeaders): void;
  onPartData(data: Buffer): void;
  onPartEnd(): void;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data` Content-Type; undefined for another type or no boundary. */
export function multipartBoundary(contentType: string | undefined): {
  multipart: boolean;
  boundary?: string;
} {
  if (!contentType) return { multipart: false };
  const [type, ...rest] = splitParams(contentType);
  if (type?.trim().toLowerCase() !== 'multipart/form-data') return { multipart: false };
  const params = parseParams(rest);
  const boundary = params.boundary;
  if (!boundary || boundary.length > 70) return { multipart: true };
  return { multipart: true, boundary };
}

/** Splits `a; b="x;y"; c` on semicolons outside quoted strings. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    // Only an escaped quote is unescaped: browsers send raw backslashes (Windows paths) and %22 for '"'.
    if (quoted && ch === '\\' && value[i + 1] === '"') {
      current += '\\"';
      i += 1;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  out.push(current);
  return out;
}

function parseParams(parts: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\"/g, '"');
    }
    params[name] = value;
  }
  return params;
}

function parseHeaderBlock(block: string): PartHeaders {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError('malformed part header');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const dispositionHeader = headers['content-disposition'];
  let disposition: string | undefined;
  let params: Record<string, string> = {};
  if (dispositionHeader !== undefined) {
    const [type, ...rest] = splitParams(dispositionHeader);
    disposition = type?.trim().toLowerCase();
    params = parseParams(rest);
  }
  return {
    headers,
    disposition,
    name: params.name,
    filename: params.filename,
    contentType: headers['content-type'],
  };
}

type State = 'preamble' | 'afterDelimiter' | 'headers' | 'body' | 'epilogue';

export class MultipartParser {
  private readonly delimiter: Buffer;
  // A virtual CRLF lets the first `--boundary` (at the very start of the body) match the delimiter.
  private buffer: Buffer = Buffer.from(CRLF);
  private state: State = 'preamble';
  private readonly maxHeaderBytes: number;

  constructor(
    boundary: string,
    private readonly handlers: MultipartHandlers,
    options: { maxHeaderBytes?: number } = {},
  ) {
    if (!boundary) throw new MultipartError('missing boundary');
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
    this.maxHeaderBytes = options.maxHeaderBytes ?? 16 * 1024;
  }

  get done(): boolean {
    return this.state === 'epilogue';
  }

  write(chunk: Buffer): void {
    if (this.state === 'epilogue') return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.process();
  }

  end(): void {
    if (this.state !== 'epilogue')
      throw new MultipartError('multipart body ended before its close delimiter');
  }

  private process(): void {
    for (;;) {
      switch (this.state) {
        case 'preamble': {
          const i = this.buffer.indexOf(this.delimiter);
          if (i < 0) {
            this.keepTail();
            return;
          }
          this.buffer = this.buffer.subarray(i + this.delimiter.length);
          this.state = 'afterDelimiter';
          break;
        }
        case 'afterDelimiter': {
          if (this.buffer.length < 2) return;
          if (this.buffer[0] === 0x2d && this.buffer[1] === 0x2d) {
            this.state = 'epilogue';
            this.buffer = Buffer.alloc(0);
            return;
          }
          let i = 0;
          while (i < this.buffer.length && (this.buffer[i] === 0x20 || this.buffer[i] === 0x09)) i += 1;
          if (this.buffer.length - i < 2) {
            if (i > 1024) throw new MultipartError('malformed delimiter line');
            return;
          }
          if (this.buffer[i] !== 0x0d || this.buffer[i + 1] !== 0x0a)
            throw new MultipartError('malformed delimiter line');
          this.buffer = this.buffer.subarray(i + 2);
          this.state = 'headers';
          break;
        }
        case 'headers': {
          let block: string;
          if (this.buffer.length >= 2 && this.buffer[0] === 0x0d && this.buffer[1] === 0x0a) {
            block = '';
            this.buffer = this.buffer.subarray(2);
          } else {
            const end = this.buffer.indexOf(HEADER_END);
            if (end < 0) {
              if (this.buffer.length > this.maxHeaderBytes)
                throw new MultipartError('part headers too large');
              return;
            }
            block = this.buffer.subarray(0, end).toString('utf8');
            this.buffer = this.buffer.subarray(end + HEADER_END.length);
          }
          this.handlers.onPartStart(parseHeaderBlock(block));
          this.state = 'body';
          break;
        }
        case 'body': {
          const i = this.buffer.indexOf(this.delimiter);
          if (i < 0) {
            const safe = this.buffer.length - (this.delimiter.length - 1);
            if (safe > 0) {
              this.handlers.onPartData(this.buffer.subarray(0, safe));
              this.buffer = this.buffer.subarray(safe);
            }
            return;
          }
          if (i > 0) this.handlers.onPartData(this.buffer.subarray(0, i));
          this.handlers.onPartEnd();
          this.buffer = this.buffer.subarray(i + this.delimiter.length);
          this.state = 'afterDelimiter';
          break;
        }
        case 'epilogue':
          return;
      }
    }
  }

  private keepTail(): void {
    const keep = this.delimiter.length - 1;
    if (this.buffer.length > keep) this.buffer = this.buffer.subarray(this.buffer.length - keep);
  }
}
