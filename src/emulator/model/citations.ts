/**
 * The emulated model's citations: when the request holds documents with
 * `citations: {enabled: true}`, the answer ends with a text block that cites
 * the first such document, the way Claude cites: a page range for a PDF
 * (the text of its first `Tj` string as the cited text), characters for a
 * plain-text document, blocks for a custom-content one.
 */

import { blocksOf } from './tokens.js';

type Json = Record<string, unknown>;

/** The documents of a request in order (their position is Claude's `document_index`). */
function documentsOf(body: Json): Json[] {
  const messages = Array.isArray(body['messages']) ? (body['messages'] as Json[]) : [];
  return messages.flatMap((message) =>
    blocksOf(message?.['content']).filter(
      (block): block is Json =>
        !!block && typeof block === 'object' && (block as Json)['type'] === 'document',
    ),
  );
}

function firstSentence(text: string): string {
  const match = /^[\s\S]*?[.!?](\s|$)/.exec(text);
  return (match ? match[0] : text).trim().slice(0, 200);
}

/** The text of a PDF's first shown string (`(…) Tj`), when its content stream is not compressed. */
function pdfText(base64: string): string | undefined {
  const bytes = Buffer.from(base64, 'base64').toString('latin1');
  return /\(((?:[^()\\]|\\.)*)\)\s*Tj/.exec(bytes)?.[1];
}

/** The citation of one document, as Claude words it. */
function citationOf(document: Json, index: number): Json {
  const source = (document['source'] ?? {}) as Json;
  const base = {
    document_index: index,
    document_title: typeof document['title'] === 'string' ? document['title'] : null,
  };
  if (source['type'] === 'text') {
    const cited = firstSentence(String(source['data'] ?? ''));
    return {
      type: 'char_location',
      cited_text: cited,
      ...base,
      start_char_index: 0,
      end_char_index: cited.length,
    };
  }
  if (source['type'] === 'content') {
    const first = blocksOf(source['content'])[0] as Json | undefined;
    return {
      type: 'content_block_location',
      cited_text: String(first?.['text'] ?? ''),
      ...base,
      start_block_index: 0,
      end_block_index: 1,
    };
  }
  const text = source['type'] === 'base64' ? pdfText(String(source['data'] ?? '')) : undefined;
  return {
    type: 'page_location',
    cited_text: text ?? 'page 1',
    ...base,
    start_page_number: 1,
    end_page_number: 2,
  };
}

/** The cited text block the answer ends with, or undefined when no document enables citations. */
export function citedBlock(body: Json): { text: string; citations: Json[] } | undefined {
  const documents = documentsOf(body);
  const index = documents.findIndex(
    (document) => (document['citations'] as Json | undefined)?.['enabled'] === true,
  );
  const document = documents[index];
  if (!document) return undefined;
  const citation = citationOf(document, index);
  return { text: `The document says: ${String(citation['cited_text'])}`, citations: [citation] };
}
