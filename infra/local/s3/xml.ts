import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
});
const parser = new XMLParser({
  parseTagValue: false,
  trimValues: false,
  ignoreAttributes: true,
  removeNSPrefix: true,
  isArray: (name) => name === 'Tag',
});

/** An XML document with the given root element (S3 answers start with the XML declaration). */
export function xmlDocument(root: string, body: Record<string, unknown>, namespace = true): string {
  const element = namespace ? { '@_xmlns': S3_NAMESPACE, ...body } : body;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: element })}`;
}

/** Parses a `<Tagging><TagSet><Tag><Key/><Value/></Tag>...` document; undefined when it is not one. */
export function parseTagging(xml: string): { key: string; value: string }[] | undefined {
  if (XMLValidator.validate(xml) !== true) return undefined;
  const doc = parser.parse(xml) as { Tagging?: { TagSet?: { Tag?: unknown[] } | string } };
  if (!doc.Tagging || typeof doc.Tagging !== 'object') return undefined;
  const tagSet = doc.Tagging.TagSet;
  if (tagSet === undefined) return undefined;
  if (typeof tagSet !== 'object' || tagSet === null) return [];
  const tags: { key: string; value: string }[] = [];
  for (const tag of tagSet.Tag ?? []) {
    if (typeof tag !== 'object' || tag === null) return undefined;
    const { Key, Value } = tag as { Key?: unknown; Value?: unknown };
    if (typeof Key !== 'string') return undefined;
    tags.push({ key: Key, value: typeof Value === 'string' ? Value : '' });
  }
  return tags;
}
