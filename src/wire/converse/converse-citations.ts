/**
 * Claude's citations and Converse's, both ways: a `char_location` is a
 * `documentChar`, a `page_location` a `documentPage`, a
 * `content_block_location` a `documentChunk`, a `search_result_location` a
 * `searchResultLocation`; the cited text travels as `sourceContent`.
 */

import { converseInvalid, listAt, numberAt, objectAt, stringAt, unionMember } from './converse-fields.js';

type Json = Record<string, unknown>;

const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function defined(object: Json): Json {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

/** One Claude citation as a Converse `Citation` (also the payload of a stream's `citation` delta). */
export function converseCitation(citation: Json): Json {
  const cited = text(citation['cited_text']);
  const base = defined({
    title: text(citation['document_title']) ?? text(citation['title']),
    sourceContent: cited === undefined ? undefined : [{ text: cited }],
  });
  const index = number(citation['document_index']);
  switch (citation['type']) {
    case 'char_location':
      return {
        ...base,
        location: {
          documentChar: defined({
            documentIndex: index,
            start: number(citation['start_char_index']),
            end: number(citation['end_char_index']),
          }),
        },
      };
    case 'page_location':
      return {
        ...base,
        location: {
          documentPage: defined({
            documentIndex: index,
            start: number(citation['start_page_number']),
            end: number(citation['end_page_number']),
          }),
        },
      };
    case 'content_block_location':
      return {
        ...base,
        location: {
          documentChunk: defined({
            documentIndex: index,
            start: number(citation['start_block_index']),
            end: number(citation['end_block_index']),
          }),
        },
      };
    case 'search_result_location':
      return {
        ...base,
        ...defined({ source: text(citation['source']) }),
        location: {
          searchResultLocation: defined({
            searchResultIndex: number(citation['search_result_index']),
            start: number(citation['start_block_index']),
            end: number(citation['end_block_index']),
          }),
        },
      };
    case 'web_search_result_location': {
      const url = text(citation['url']);
      return { ...base, ...defined({ source: url }), location: { web: defined({ url }) } };
    }
    default:
      return base;
  }
}

const LOCATIONS = ['documentChar', 'documentPage', 'documentChunk', 'searchResultLocation', 'web'] as const;

/**
 * A Converse `Citation` sent back in the conversation (an assistant turn's
 * `citationsContent`) as Claude's citation.
 */
export function claudeCitation(value: unknown, path: string): Json {
  const citation = objectAt(value, path);
  const sourceContent =
    citation['sourceContent'] === undefined ? [] : listAt(citation['sourceContent'], `${path}.sourceContent`);
  const citedText = sourceContent
    .map((part, index) =>
      stringAt(
        objectAt(part, `${path}.sourceContent.${index}`)['text'],
        `${path}.sourceContent.${index}.text`,
      ),
    )
    .join('');
  const title = citation['title'] === undefined ? undefined : stringAt(citation['title'], `${path}.title`);
  const [kind, where] = unionMember(
    citation['location'],
    `${path}.location`,
    LOCATIONS,
    'a citation location',
  );
  const location = objectAt(where, `${path}.location.${kind}`);
  const at = (field: string) =>
    location[field] === undefined
      ? undefined
      : numberAt(location[field], `${path}.location.${kind}.${field}`, { min: 0, integer: true });
  const document = {
    cited_text: citedText,
    document_index: at('documentIndex'),
    document_title: title ?? null,
  };
  switch (kind) {
    case 'documentChar':
      return { type: 'char_location', ...document, start_char_index: at('start'), end_char_index: at('end') };
    case 'documentPage':
      return {
        type: 'page_location',
        ...document,
        start_page_number: at('start'),
        end_page_number: at('end'),
      };
    case 'documentChunk':
      return {
        type: 'content_block_location',
        ...document,
        start_block_index: at('start'),
        end_block_index: at('end'),
      };
    case 'searchResultLocation':
      return defined({
        type: 'search_result_location',
        cited_text: citedText,
        search_result_index: at('searchResultIndex'),
        start_block_index: at('start'),
        end_block_index: at('end'),
        source: citation['source'] === undefined ? undefined : stringAt(citation['source'], `${path}.source`),
        title: title ?? null,
      });
    default:
      throw converseInvalid(
        `${path}.location.web cannot be sent back to Claude: a web citation needs the encrypted index only Claude's own answer carries; send the cited text as plain text instead.`,
      );
  }
}
