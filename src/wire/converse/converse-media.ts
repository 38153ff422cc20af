/**
 * Converse's image, document and search-result blocks as Claude's: bytes
 * become base64 sources, text documents plain-text sources. What Claude
 * cannot read (S3 locations, Office formats, video, audio) is refused,
 * naming the field.
 */

import {
  base64At,
  booleanAt,
  enumAt,
  listAt,
  objectAt,
  onlyKnownFields,
  stringAt,
  unionMember,
  unsupportedField,
} from './converse-fields.js';

const IMAGE_FORMATS = ['png', 'jpeg', 'gif', 'webp'] as const;
const DOCUMENT_FORMATS = ['pdf', 'csv', 'doc', 'docx', 'xls', 'xlsx', 'html', 'txt', 'md'] as const;
/** Formats whose bytes are text: Claude reads them as a plain-text document. */
const TEXT_FORMATS: readonly string[] = ['csv', 'html', 'txt', 'md'];

function s3Refused(path: string): Error {
  return unsupportedField(
    `${path}.s3Location`,
    'Claude on Vertex AI and the Anthropic API cannot read Amazon S3 objects; send the content as bytes.',
  );
}

/** `image` → `{type: "image", source: {type: "base64", …}}`. */
export function imageBlock(value: unknown, path: string): Record<string, unknown> {
  const image = objectAt(value, path);
  onlyKnownFields(image, path, ['format', 'source'], 'an image block');
  const format = enumAt(image['format'], `${path}.format`, IMAGE_FORMATS);
  const [kind, source] = unionMember(
    image['source'],
    `${path}.source`,
    ['bytes', 's3Location'],
    'an image source',
  );
  if (kind === 's3Location') throw s3Refused(`${path}.source`);
  return {
    type: 'image',
    source: { type: 'base64', media_type: `image/${format}`, data: base64At(source, `${path}.source.bytes`) },
  };
}

/** `document` → a PDF (base64) or plain-text document, with its name as the title. */
export function documentBlock(value: unknown, path: string): Record<string, unknown> {
  const document = objectAt(value, path);
  onlyKnownFields(document, path, ['format', 'name', 'source', 'context', 'citations'], 'a document block');
  const name = stringAt(document['name'], `${path}.name`, 1);
  const [kind, source] = unionMember(
    document['source'],
    `${path}.source`,
    ['bytes', 's3Location', 'text', 'content'],
    'a document source',
  );
  const block: Record<string, unknown> = {
    type: 'document',
    source: documentSource(kind, source, document, path),
  };
  block['title'] = name;
  if (document['context'] !== undefined) block['context'] = stringAt(document['context'], `${path}.context`);
  if (document['citations'] !== undefined) {
    const citations = objectAt(document['citations'], `${path}.citations`);
    onlyKnownFields(citations, `${path}.citations`, ['enabled'], 'a citations setting');
    block['citations'] = { enabled: booleanAt(citations['enabled'], `${path}.citations.enabled`) };
  }
  return block;
}

function documentSource(
  kind: string,
  source: unknown,
  document: Record<string, unknown>,
  path: string,
): Record<string, unknown> {
  const sourcePath = `${path}.source`;
  if (kind === 's3Location') throw s3Refused(sourcePath);
  if (kind === 'text') {
    return { type: 'text', media_type: 'text/plain', data: stringAt(source, `${sourcePath}.text`) };
  }
  if (kind === 'content') {
    const parts = listAt(source, `${sourcePath}.content`, 1).map((part, index) => {
      const partPath = `${sourcePath}.content.${index}`;
      const [, text] = unionMember(part, partPath, ['text'], 'a document content block');
      return { type: 'text', text: stringAt(text, `${partPath}.text`) };
    });
    return { type: 'content', content: parts };
  }
  const bytes = base64At(source, `${sourcePath}.bytes`);
  if (document['format'] === undefined) {
    throw unsupportedField(
      `${path}.format`,
      'a document sent as bytes needs its format (pdf, txt, md, csv, html).',
    );
  }
  const format = enumAt(document['format'], `${path}.format`, DOCUMENT_FORMATS);
  if (format === 'pdf') return { type: 'base64', media_type: 'application/pdf', data: bytes };
  if (TEXT_FORMATS.includes(format)) {
    return { type: 'text', media_type: 'text/plain', data: Buffer.from(bytes, 'base64').toString('utf8') };
  }
  throw unsupportedField(
    `${path}.format`,
    `Claude reads PDF and text documents, not ${format}; convert the document to pdf or text first.`,
  );
}

/** `searchResult` → `{type: "search_result", …}`. */
export function searchResultBlock(value: unknown, path: string): Record<string, unknown> {
  const result = objectAt(value, path);
  onlyKnownFields(result, path, ['source', 'title', 'content', 'citations'], 'a search result block');
  const content = listAt(result['content'], `${path}.content`, 1).map((part, index) => {
    const partPath = `${path}.content.${index}`;
    const object = objectAt(part, partPath);
    onlyKnownFields(object, partPath, ['text'], 'a search result content block');
    return { type: 'text', text: stringAt(object['text'], `${partPath}.text`) };
  });
  const block: Record<string, unknown> = {
    type: 'search_result',
    source: stringAt(result['source'], `${path}.source`),
    title: stringAt(result['title'], `${path}.title`),
    content,
  };
  if (result['citations'] !== undefined) {
    const citations = objectAt(result['citations'], `${path}.citations`);
    block['citations'] = { enabled: booleanAt(citations['enabled'], `${path}.citations.enabled`) };
  }
  return block;
}
