/**
 * Test-only: renders this repository's Helm chart without helm, for the
 * deployment tests. It implements the part of Go's text/template (and of
 * Helm's functions) the chart uses, and refuses anything else, so a template
 * that starts using more fails here rather than rendering wrongly:
 *
 * - actions `{{ … }}` with `{{-` / `-}}` whitespace trimming and comments;
 * - `if` / `else` / `end` and `with` / `end` (Go's truthiness: false, 0, "",
 *   nil and empty lists and maps are false; `with` moves the dot);
 * - pipelines of `.Values.…`, `.Release.…`, `.Chart.…`, `.`, string and
 *   number literals, and the functions quote, default, toYaml, indent,
 *   nindent and sha256sum.
 *
 * `toYaml` is the `yaml` package's stringify (Helm's is sigs.k8s.io/yaml's):
 * the same YAML for the chart's values, possibly spelt differently.
 */

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

type Scope = unknown;
interface Root {
  Values: unknown;
  Release: { Name: string; Namespace: string; Service: string };
  Chart: Record<string, unknown>;
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'output'; pipeline: string }
  | { kind: 'if' | 'with'; pipeline: string; body: Node[]; otherwise: Node[] };

/** Splits a template into text and actions, applying `{{-` and `-}}` trimming. */
function tokens(template: string): { text?: string; action?: string }[] {
  const parts: { text?: string; action?: string }[] = [];
  const pattern = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
  let last = 0;
  let trimNext = false;
  for (let match = pattern.exec(template); match; match = pattern.exec(template)) {
    let text = template.slice(last, match.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (match[1]) text = text.replace(/\s+$/, '');
    parts.push({ text });
    parts.push({ action: (match[2] ?? '').trim() });
    trimNext = Boolean(match[3]);
    last = pattern.lastIndex;
  }
  let rest = template.slice(last);
  if (trimNext) rest = rest.replace(/^\s+/, '');
  parts.push({ text: rest });
  return parts;
}

function parseTemplate(template: string): Node[] {
  const root: Node[] = [];
  const stack: { node: Extract<Node, { kind: 'if' | 'with' }>; inElse: boolean }[] = [];
  const target = () => {
    const top = stack.at(-1);
    return top ? (top.inElse ? top.node.otherwise : top.node.body) : root;
  };
  for (const part of tokens(template)) {
    if (part.text !== undefined) {
      if (part.text) target().push({ kind: 'text', text: part.text });
      continue;
    }
    const action = part.action ?? '';
    if (action.startsWith('/*')) continue;
    const [word = '', ...rest] = action.split(/\s+/);
    if (word === 'if' || word === 'with') {
      const node: Extract<Node, { kind: 'if' | 'with' }> = {
        kind: word,
        pipeline: rest.join(' '),
        body: [],
        otherwise: [],
      };
      target().push(node);
      stack.push({ node, inElse: false });
    } else if (word === 'else') {
      const top = stack.at(-1);
      if (!top || rest.length > 0) throw new Error(`unsupported: {{ ${action} }}`);
      top.inElse = true;
    } else if (word === 'end') {
      if (!stack.pop()) throw new Error('{{ end }} without an open block');
    } else if (['range', 'define', 'template', 'block', 'include', 'tpl'].includes(word)) {
      throw new Error(`the test renderer does not support {{ ${action} }}`);
    } else {
      target().push({ kind: 'output', pipeline: action });
    }
  }
  if (stack.length > 0) throw new Error('a block is not closed with {{ end }}');
  return root;
}

function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function toYaml(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  return stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
}

function indentLines(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

/** Splits on spaces outside quotes and parentheses. */
function words(text: string): string[] {
  return text.match(/"(?:[^"\\]|\\.)*"|\([^)]*\)|\S+/g) ?? [];
}

function argument(word: string, dot: Scope, root: Root): unknown {
  if (word.startsWith('"')) return JSON.parse(word) as string;
  if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
  if (word === '.') return dot;
  if (word.startsWith('(')) return pipeline(word.slice(1, -1), dot, root);
  if (word.startsWith('.') || word.startsWith('$.')) {
    const path = word.replace(/^\$/, '').split('.').slice(1);
    // As in Go: a path starts at the dot (moved by `with`); only `$` is the root.
    let value: unknown = word.startsWith('$') ? root : dot;
    for (const key of path)
      value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return value;
  }
  throw new Error(`the test renderer does not understand "${word}"`);
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  quote: (value) => JSON.stringify(value === undefined || value === null ? '' : String(value)),
  default: (fallback, value) => (truthy(value) ? value : fallback),
  toYaml: (value) => toYaml(value),
  indent: (spaces, text) => indentLines(String(text), Number(spaces)),
  nindent: (spaces, text) => `\n${indentLines(String(text), Number(spaces))}`,
  sha256sum: (text) => createHash('sha256').update(String(text)).digest('hex'),
};

function pipeline(text: string, dot: Scope, root: Root): unknown {
  let value: unknown;
  let first = true;
  for (const command of text.split('|').map((part) => part.trim())) {
    const [head = '', ...rest] = words(command);
    const fn = FUNCTIONS[head];
    if (fn) {
      const args = rest.map((word) => argument(word, dot, root));
      value = first ? fn(...args) : fn(...args, value);
    } else if (first && rest.length === 0) {
      value = argument(head, dot, root);
    } else {
      throw new Error(`the test renderer has no function "${head}"`);
    }
    first = false;
  }
  return value;
}

function renderNodes(nodes: readonly Node[], dot: Scope, root: Root): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'output') {
      const value = pipeline(node.pipeline, dot, root);
      out += value === undefined || value === null ? '' : String(value);
    } else {
      const value = pipeline(node.pipeline, dot, root);
      if (truthy(value)) out += renderNodes(node.body, node.kind === 'with' ? value : dot, root);
      else out += renderNodes(node.otherwise, dot, root);
    }
  }
  return out;
}

function merge(base: unknown, override: unknown): unknown {
  if (!override || typeof override !== 'object' || Array.isArray(override)) return override ?? base;
  if (!base || typeof base !== 'object' || Array.isArray(base)) return override;
  const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) result[key] = merge(result[key], value);
  return result;
}

export interface RenderedChart {
  /** Each template's output, by file name. */
  files: Record<string, string>;
  /** The Kubernetes objects of every manifest, in file order. */
  objects: Record<string, unknown>[];
  values: Record<string, unknown>;
}

/**
 * Renders a chart folder as `helm template RELEASE CHART -f values` would,
 * with `overrides` merged over values.yaml.
 */
export function renderChart(
  folder: string,
  release: string,
  overrides: Record<string, unknown> = {},
): RenderedChart {
  const chart = parse(readFileSync(join(folder, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
  const values = merge(parse(readFileSync(join(folder, 'values.yaml'), 'utf8')), overrides) as Record<
    string,
    unknown
  >;
  const root: Root = {
    Values: values,
    Release: { Name: release, Namespace: 'default', Service: 'Helm' },
    Chart: {
      ...chart,
      Name: chart['name'],
      Version: chart['version'],
      AppVersion: chart['appVersion'],
    },
  };
  const files: Record<string, string> = {};
  const objects: Record<string, unknown>[] = [];
  for (const name of readdirSync(join(folder, 'templates')).sort()) {
    if (name.startsWith('_')) continue;
    const text = renderNodes(
      parseTemplate(readFileSync(join(folder, 'templates', name), 'utf8')),
      root,
      root,
    );
    files[name] = text;
    if (!name.endsWith('.yaml')) continue;
    for (const document of text.split(/^---\s*$/m)) {
      const object = parse(document) as Record<string, unknown> | null;
      if (object) objects.push(object);
    }
  }
  return { files, objects, values };
}
