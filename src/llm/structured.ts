import { z } from 'zod';
import type { Diagnostic } from '../core/diagnostics';
import { diag } from '../core/diagnostics';
import type { RunMessage } from '../domain';
import { findJsonCandidates, type JsonShape } from './lenientJson';

// Structured output for small local models. The schema goes to the server the way llama-server
// applies it as a grammar — OpenAI's `response_format: {type: "json_schema", json_schema: {schema}}`,
// which llama.cpp, vLLM and OpenAI all honour — and is also described in the system message,
// because servers that ignore the schema still get a model that knows the shape. Answers are then
// parsed leniently and validated; see checkStructuredAnswer.

export type JsonSchema = Record<string, unknown>;

/** JSON schema for what the model must write (the schema's input side). */
export function toJsonSchema(schema: z.ZodType, title?: string): JsonSchema {
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete js.$schema;
  const cleaned = stripSafeIntegerBounds(js) as JsonSchema;
  return title ? { title, ...cleaned } : cleaned;
}

// zod bounds every int by ±2^53; llama.cpp turns numeric bounds into grammar rules, and these
// huge ones only make the grammar bigger without constraining anything.
function stripSafeIntegerBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripSafeIntegerBounds);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if ((k === 'minimum' && v === Number.MIN_SAFE_INTEGER) || (k === 'maximum' && v === Number.MAX_SAFE_INTEGER)) continue;
    out[k] = stripSafeIntegerBounds(v);
  }
  return out;
}

/** Fields added to the chat request for constrained decoding. */
export function structuredRequestFields(jsonSchema: JsonSchema, schemaName: string): Record<string, unknown> {
  return {
    response_format: { type: 'json_schema', json_schema: { name: schemaName.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'answer', schema: jsonSchema } },
    // Thinking spends a small model's tokens and breaks grammar-constrained output on Qwen templates.
    chat_template_kwargs: { enable_thinking: false },
  };
}

/** The top-level JSON type the schema asks for, to look for the right brackets first. */
export function jsonShapeOf(jsonSchema: JsonSchema): JsonShape {
  return jsonSchema.type === 'object' ? 'object' : jsonSchema.type === 'array' ? 'array' : 'any';
}

// ---------------------------------------------------------------------------------------------
// A compact, human-readable description of a JSON schema (TypeScript-like).

/** e.g. `{ "name": string, "kind": "single" | "multiple", "tags"?: [string, …] }`, indented. */
export function describeJsonSchema(root: JsonSchema): string {
  const defs = (root.$defs ?? root.definitions ?? {}) as Record<string, JsonSchema>;
  const go = (s: unknown, indent: string, depth: number): string => {
    if (!s || typeof s !== 'object') return 'any JSON value';
    const n = s as JsonSchema;
    if (depth > 8) return '…';
    if (typeof n.$ref === 'string') {
      const ref = n.$ref === '#' ? root : defs[n.$ref.replace(/^#\/(\$defs|definitions)\//, '')];
      return ref ? go(ref, indent, depth + 3) : 'any JSON value';
    }
    if ('const' in n) return JSON.stringify(n.const);
    if (Array.isArray(n.enum)) return n.enum.map((v) => JSON.stringify(v)).join(' | ');
    const union = (n.anyOf ?? n.oneOf) as unknown[] | undefined;
    if (Array.isArray(union)) return union.map((u) => go(u, indent, depth + 1)).join(' | ');
    if (Array.isArray(n.type)) return n.type.map((t) => go({ ...n, type: t }, indent, depth + 1)).join(' | ');
    switch (n.type) {
      case 'object': {
        const props = (n.properties ?? {}) as Record<string, JsonSchema>;
        const required = new Set((n.required ?? []) as string[]);
        const keys = Object.keys(props);
        if (keys.length === 0) return 'object';
        const inner = indent + '  ';
        const lines = keys.map((k) => {
          const p = props[k];
          const note = typeof p?.description === 'string' ? `${inner}// ${p.description}\n` : '';
          return `${note}${inner}${JSON.stringify(k)}${required.has(k) ? '' : '?'}: ${go(p, inner, depth + 1)}`;
        });
        return `{\n${lines.join(',\n')}\n${indent}}`;
      }
      case 'array': {
        const count = countText(n.minItems, n.maxItems);
        return `[${go(n.items, indent, depth + 1)}, …]${count}`;
      }
      case 'string':
        return n.format === 'date-time' ? 'string (ISO date-time)' : 'string';
      case 'integer':
        return 'integer';
      case 'number':
      case 'boolean':
      case 'null':
        return n.type;
      default:
        return 'any JSON value';
    }
  };
  return go(root, '', 0);
}

function countText(min: unknown, max: unknown): string {
  const lo = typeof min === 'number' ? min : undefined;
  const hi = typeof max === 'number' ? max : undefined;
  if (lo !== undefined && hi !== undefined) return lo === hi ? ` (exactly ${lo} items)` : ` (${lo} to ${hi} items)`;
  if (lo !== undefined && lo > 0) return ` (at least ${lo} item${lo === 1 ? '' : 's'})`;
  if (hi !== undefined) return ` (at most ${hi} items)`;
  return '';
}

/** The messages with the shape described at the end of the system message (one is added if none). */
export function withShapeInstructions(messages: readonly RunMessage[], jsonSchema: JsonSchema, schemaName: string): RunMessage[] {
  const text = `Answer with JSON only: one ${schemaName} value of exactly this shape, with no prose, no comments and no code fences.\n${describeJsonSchema(jsonSchema)}`;
  const out = messages.map((m) => ({ ...m }));
  const sys = out.find((m) => m.role === 'system');
  if (sys) sys.content = `${sys.content.trimEnd()}\n\n${text}`;
  else out.unshift({ role: 'system', content: text });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Checking an answer

export type StructuredCheck<T> =
  | { ok: true; value: T; json: string; diagnostics: Diagnostic[] }
  | { ok: false; errors: string[]; json?: string; diagnostics: Diagnostic[] };

/** Finds JSON in the answer (then in the reasoning, for unclosed think blocks) and validates it. */
export function checkStructuredAnswer<T>(schema: z.ZodType<T>, shape: JsonShape, content: string, reasoning: string): StructuredCheck<T> {
  const diagnostics: Diagnostic[] = [];
  let candidates = findJsonCandidates(content, shape);
  if (candidates.length === 0 && reasoning) {
    candidates = findJsonCandidates(reasoning, shape);
    if (candidates.length > 0) diagnostics.push(diag('warning', 'json-in-reasoning', 'The JSON was found in the reasoning, not in the answer (the think block was never closed).'));
  }
  if (candidates.length === 0) {
    const errors = ['No JSON value found in the answer.'];
    diagnostics.push(diag('error', 'no-json', errors[0] as string));
    return { ok: false, errors, diagnostics };
  }
  let firstErrors: string[] | undefined;
  let firstJson: string | undefined;
  for (const c of candidates) {
    const r = schema.safeParse(c.value);
    if (r.success) {
      if (c.repaired) diagnostics.push(diag('info', 'json-repaired', 'The JSON needed repairs (quotes, commas, comments or missing brackets).'));
      return { ok: true, value: r.data, json: JSON.stringify(c.value), diagnostics };
    }
    if (!firstErrors) {
      firstErrors = formatIssues(r.error.issues);
      firstJson = JSON.stringify(c.value);
    }
  }
  const errors = firstErrors ?? [];
  for (const e of errors) diagnostics.push(diag('error', 'schema-mismatch', e));
  return { ok: false, errors, json: firstJson, diagnostics };
}

const MAX_ISSUES = 12;

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const out = issues.slice(0, MAX_ISSUES).map((i) => `${formatPath(i.path)}: ${i.message}`);
  if (issues.length > MAX_ISSUES) out.push(`…and ${issues.length - MAX_ISSUES} more problems.`);
  return out;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(the whole value)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

const MAX_ECHO_CHARS = 6000;

/** The conversation for the one re-ask: the previous answer, then what was wrong with it. */
export function reaskMessages(messages: readonly RunMessage[], previousAnswer: string, errors: readonly string[], schemaName: string): RunMessage[] {
  const prev = previousAnswer.trim() || '(an empty answer)';
  return [
    ...messages,
    { role: 'assistant', content: prev.length > MAX_ECHO_CHARS ? `${prev.slice(0, MAX_ECHO_CHARS)}…` : prev },
    {
      role: 'user',
      content: `That answer is not valid ${schemaName} JSON:\n${errors.map((e) => `- ${e}`).join('\n')}\n\nAnswer again with only the corrected JSON value, no prose, no code fences.`,
    },
  ];
}
