/** A minimal ZIP writer (stored entries, no compression) for building DOCX, ZIP and polyglot test files. */
import { crc32 } from 'node:zlib';

/** A fixed-size little-endian ZIP record: its signature, then each [offset, width in bytes, value]. */
function zipRecord(size: number, signature: number, fields: [number, 2 | 4, number][]): Buffer {
  const out = Buffer.alloc(size);
  out.writeUInt32LE(signature, 0);
  for (const [at, width, value] of fields)
    if (width === 2) out.writeUInt16LE(value, at);
    else out.writeUInt32LE(value, at);
  return out;
}

export function zipArchive(entries: { name: string; data: Buffer | string }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    const crc = crc32(data) >>> 0;
    // version 20, CRC-32, compressed and uncompressed size (stored: equal), name length
    const local = zipRecord(30, 0x04034b50, [
      [4, 2, 20],
      [14, 4, crc],
      [18, 4, data.length],
      [22, 4, data.length],
      [26, 2, name.length],
    ]);
    locals.push(local, name, data);
    // the same for the central directory, after "made by" 20, plus where the local header starts
    const central = zipRecord(46, 0x02014b50, [
      [4, 2, 20],
      [6, 2, 20],
      [16, 4, crc],
      [20, 4, data.length],
      [24, 4, data.length],
      [28, 2, name.length],
      [42, 4, offset],
    ]);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = zipRecord(22, 0x06054b50, [
    [8, 2, entries.length],
    [10, 2, entries.length],
    [12, 4, directory.length],
    [16, 4, offset],
  ]);
  return Buffer.concat([...locals, directory, end]);
}

/** The smallest DOCX Word and the sniffer recognise: content types, relationships and a document part. */
export function minimalDocx(text = 'Ada Lovelace'): Buffer {
  return zipArchive([
    {
      name: '[Content_Types].xml',
      data: '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    },
    {
      name: '_rels/.rels',
      data: '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
    },
    {
      name: 'word/document.xml',
      data: `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`,
    },
  ]);
}
