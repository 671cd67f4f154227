import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MultipartError, MultipartParser, multipartBoundary } from '../../../infra/local/s3/multipart.js';

interface Part {
  name: string;
  filename?: string;
  data: Buffer;
}

function encode(
  boundary: string,
  parts: Part[],
  options: { preamble?: string; epilogue?: string } = {},
): Buffer {
  const chunks: Buffer[] = [];
  if (options.preamble) chunks.push(Buffer.from(`${options.preamble}\r\n`));
  for (const part of parts) {
    const filename = part.filename !== undefined ? `; filename="${part.filename}"` : '';
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n\r\n`),
    );
    chunks.push(part.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n${options.epilogue ?? ''}`));
  return Buffer.concat(chunks);
}

function parse(boundary: string, body: Buffer, splitAt: number[] = []): Part[] {
  const parts: Part[] = [];
  let current: { name: string; filename?: string; chunks: Buffer[] } | undefined;
  const parser = new MultipartParser(boundary, {
    onPartStart: (p) => {
      current = {
        name: p.name ?? '',
        ...(p.filename !== undefined ? { filename: p.filename } : {}),
        chunks: [],
      };
    },
    onPartData: (d) => current?.chunks.push(Buffer.from(d)),
    onPartEnd: () => {
      if (current)
        parts.push({
          name: current.name,
          ...(current.filename !== undefined ? { filename: current.filename } : {}),
          data: Buffer.concat(current.chunks),
        });
      current = undefined;
    },
  });
  let offset = 0;
  for (const at of [...splitAt].sort((a, b) => a - b)) {
    parser.write(body.subarray(offset, at));
    offset = at;
  }
  parser.write(body.subarray(offset));
  parser.end();
  return parts;
}

describe('multipart/form-data parser', () => {
  it('reads the boundary of a multipart/form-data content type, quoted or not', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toEqual({
      multipart: true,
      boundary: 'abc',
    });
    expect(multipartBoundary('Multipart/Form-Data; boundary="a;b c"')).toEqual({
      multipart: true,
      boundary: 'a;b c',
    });
    expect(multipartBoundary('multipart/form-data')).toEqual({ multipart: true });
    expect(multipartBoundary('application/json')).toEqual({ multipart: false });
  });

  it('returns every part intact whatever the chunk boundaries (property)', () => {
    const boundary = '----formdata-undici-0123456789';
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: fc.constantFrom('key', 'Policy', 'Content-Type', 'x-amz-meta-a', 'file'),
            data: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        fc.array(fc.nat(), { maxLength: 8 }),
        (parts, cuts) => {
          const body = encode(boundary, parts, {
            preamble: 'ignored preamble',
            epilogue: 'ignored epilogue',
          });
          const splitAt = cuts.map((c) => c % (body.length + 1));

          const parsed = parse(boundary, body, splitAt);

          expect(parsed.map((p) => [p.name, p.data.toString('hex')])).toEqual(
            parts.map((p) => [p.name, p.data.toString('hex')]),
          );
        },
      ),
    );
  });

  it('keeps boundary-like bytes that do not start a line inside a part', () => {
    const boundary = 'XyZ';
    const data = Buffer.from('a--XyZ b\r\n-XyZ c\r\n--Xy d\r\n');
    const body = encode(boundary, [{ name: 'file', filename: 'a.txt', data }]);

    expect(parse(boundary, body)[0]?.data.toString()).toBe(data.toString());
  });

  it('refuses a delimiter line followed by other bytes than padding and CRLF', () => {
    const body = Buffer.from(
      '--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--XyZjunk\r\n--XyZ--',
    );

    expect(() => parse('XyZ', body)).toThrow(MultipartError);
  });

  it('reports the file name of a file part', () => {
    const body = encode('b', [{ name: 'file', filename: 'C:\\docs\\cv.pdf', data: Buffer.from('%PDF-') }]);

    expect(parse('b', body)[0]).toMatchObject({ name: 'file', filename: 'C:\\docs\\cv.pdf' });
  });

  it('refuses a body that ends before its close delimiter', () => {
    const body = encode('b', [{ name: 'key', data: Buffer.from('k') }]);
    const truncated = body.subarray(0, body.length - 6);

    expect(() => parse('b', truncated)).toThrow(MultipartError);
  });
});
