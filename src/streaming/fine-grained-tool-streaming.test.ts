import { describe, expect, it } from 'vitest';
import {
  eagerInputStreamingTools,
  FINE_GRAINED_TOOL_STREAMING_BETA,
  hasFineGrainedToolStreaming,
} from './fine-grained-tool-streaming.js';

const TOOLS = [
  { name: 'make_file', input_schema: { type: 'object' }, eager_input_streaming: true },
  { name: 'read_file', input_schema: { type: 'object' } },
  { name: 'odd', eager_input_streaming: 'true' },
];

describe('eagerInputStreamingTools', () => {
  it('keeps the tools with eager_input_streaming set to true', () => {
    expect(eagerInputStreamingTools(TOOLS).map((tool) => tool.name)).toEqual(['make_file']);
    expect(eagerInputStreamingTools(undefined)).toEqual([]);
    expect(eagerInputStreamingTools([null, 3, 'x'])).toEqual([]);
  });
});

describe('hasFineGrainedToolStreaming', () => {
  it('finds the beta in a list or a header value', () => {
    expect(hasFineGrainedToolStreaming([FINE_GRAINED_TOOL_STREAMING_BETA])).toBe(true);
    expect(hasFineGrainedToolStreaming(`context-1m-2025-08-07, ${FINE_GRAINED_TOOL_STREAMING_BETA}`)).toBe(
      true,
    );
    expect(hasFineGrainedToolStreaming('context-1m-2025-08-07')).toBe(false);
    expect(hasFineGrainedToolStreaming(undefined)).toBe(false);
  });

  it('finds a tool with eager_input_streaming', () => {
    expect(hasFineGrainedToolStreaming([], TOOLS)).toBe(true);
    expect(hasFineGrainedToolStreaming([], TOOLS.slice(1))).toBe(false);
  });
});
