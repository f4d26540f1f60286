// The JSON schemas nocodo sends (from zod) use keywords llama.cpp's grammar builder does not know
// (`required`, `$schema`, `pattern`, numeric bounds, `anyOf`...). This maps them onto the subset
// node-llama-cpp turns into a GBNF grammar. The result may admit a little more than the schema
// (bounds, patterns); zod still checks every answer, the grammar only guarantees well-formed JSON
// of the right shape.

type Json = Record<string, unknown>;

const FORMATS = new Set(['date-time', 'time', 'date']);
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON schema → the grammar-able subset. Unknown shapes become "any JSON value" (`{}` is not allowed, so a union of all types). */
export function toGrammarSchema(schema: unknown): Json {
  const root = isObject(schema) ? schema : {};
  const defs = { ...(isObject(root.$defs) ? root.$defs : {}), ...(isObject(root.definitions) ? root.definitions : {}) };
  const out = convert(root);
  const convertedDefs = Object.fromEntries(Object.entries(defs).map(([k, v]) => [k, convert(v)]));
  return Object.keys(convertedDefs).length ? { ...out, $defs: convertedDefs } : out;
}

const ANY: Json = { type: ['string', 'number', 'boolean', 'null'] };

function convert(s: unknown): Json {
  if (!isObject(s)) return s === false ? { type: 'null' } : ANY;
  if (typeof s.$ref === 'string') return { $ref: s.$ref.replace('#/definitions/', '#/$defs/') };
  if ('const' in s) return { const: s.const as Json['const'] };
  if (Array.isArray(s.enum)) return { enum: s.enum };
  const union = (s.anyOf ?? s.oneOf) as unknown;
  if (Array.isArray(union)) return { oneOf: union.map(convert) };
  if (Array.isArray(s.allOf) && s.allOf.length === 1) return convert(s.allOf[0]);
  const type = s.type;
  if (Array.isArray(type)) {
    const simple = type.every((t) => t === 'string' || t === 'number' || t === 'integer' || t === 'boolean' || t === 'null');
    return simple ? { type } : { oneOf: type.map((t) => convert({ ...s, type: t })) };
  }
  switch (type) {
    case 'string': {
      const r: Json = { type: 'string' };
      if (typeof s.format === 'string' && FORMATS.has(s.format)) r.format = s.format;
      else {
        if (typeof s.minLength === 'number') r.minLength = s.minLength;
        if (typeof s.maxLength === 'number') r.maxLength = s.maxLength;
      }
      return r;
    }
    case 'number':
    case 'integer':
    case 'boolean':
    case 'null':
      return { type };
    case 'array': {
      const r: Json = { type: 'array' };
      if (Array.isArray(s.prefixItems)) r.prefixItems = s.prefixItems.map(convert);
      if (s.items !== undefined && s.items !== true) r.items = convert(s.items);
      if (typeof s.minItems === 'number') r.minItems = s.minItems;
      if (typeof s.maxItems === 'number') r.maxItems = s.maxItems;
      return r;
    }
    case 'object': {
      const props = isObject(s.properties) ? s.properties : {};
      const r: Json = { type: 'object', properties: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, convert(v)])) };
      // Optional properties are emitted anyway (the grammar builder writes every listed key);
      // extra keys are never wanted from a small model.
      if (isObject(s.additionalProperties)) r.additionalProperties = convert(s.additionalProperties);
      else if (!Object.keys(props).length && s.additionalProperties !== false) r.additionalProperties = ANY;
      return r;
    }
    default:
      return ANY;
  }
}
