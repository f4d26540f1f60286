import type { Node } from 'web-tree-sitter';
import { effectiveMetas, lastSegment, leadingAttrs, readAttributeItem, type Meta } from '../rust/attrs';
import { normalizeType } from '../rust/models';
import { withRustTree } from '../rust/parser';

/** A serde name that may differ by direction: `rename(serialize = "a", deserialize = "b")`. */
export interface DirName {
  ser?: string;
  de?: string;
}

/** The `#[serde(...)]` options the TypeScript generator honours (container, variant or field). */
export interface SerdeAttrs {
  rename?: DirName;
  renameAll?: DirName;
  renameAllFields?: DirName;
  tag?: string;
  content?: string;
  untagged?: boolean;
  transparent?: boolean;
  /** `default` or `default = "path"`. */
  default?: boolean;
  skip?: boolean;
  skipSerializing?: boolean;
  skipDeserializing?: boolean;
  skipSerializingIf?: string;
  flatten?: boolean;
  /** `with`, `serialize_with` or `deserialize_with` paths, as written. */
  with?: string[];
  other?: boolean;
}

export interface SerdeField {
  /** Field name, or its position for tuple fields. */
  name: string;
  type: string;
  attrs: SerdeAttrs;
  doc?: string;
}

export type SerdeShape = { kind: 'named'; fields: SerdeField[] } | { kind: 'tuple'; fields: SerdeField[] } | { kind: 'unit' };

interface ItemBase {
  name: string;
  /** Type parameter names (`T` of `Page<T>`); lifetimes and consts left out. */
  generics: string[];
  derives: string[];
  attrs: SerdeAttrs;
  doc?: string;
  file: string;
  line: number;
}

export interface SerdeStruct extends ItemBase {
  kind: 'struct';
  shape: SerdeShape;
}

export interface SerdeVariant {
  name: string;
  attrs: SerdeAttrs;
  shape: SerdeShape;
  doc?: string;
}

export interface SerdeEnum extends ItemBase {
  kind: 'enum';
  variants: SerdeVariant[];
}

export interface SerdeAlias extends ItemBase {
  kind: 'alias';
  type: string;
}

export type SerdeItem = SerdeStruct | SerdeEnum | SerdeAlias;

export const derivesSerialize = (i: SerdeItem): boolean => i.derives.includes('Serialize');
export const derivesDeserialize = (i: SerdeItem): boolean => i.derives.includes('Deserialize');

function dirName(m: Meta): DirName | undefined {
  if (m.value !== undefined) return { ser: m.value, de: m.value };
  if (!m.list) return undefined;
  const out: DirName = {};
  for (const x of m.list) {
    if (x.path === 'serialize' && x.value !== undefined) out.ser = x.value;
    if (x.path === 'deserialize' && x.value !== undefined) out.de = x.value;
  }
  return out;
}

/** Reads every `serde(...)` attribute (also through `cfg_attr`) into one options record. */
export function serdeAttrs(metas: readonly Meta[]): SerdeAttrs {
  const a: SerdeAttrs = {};
  for (const m of effectiveMetas(metas)) {
    if (m.path !== 'serde' || !m.list) continue;
    for (const o of m.list) {
      switch (o.path) {
        case 'rename': {
          const n = dirName(o);
          if (n) a.rename = n;
          break;
        }
        case 'rename_all': {
          const n = dirName(o);
          if (n) a.renameAll = n;
          break;
        }
        case 'rename_all_fields': {
          const n = dirName(o);
          if (n) a.renameAllFields = n;
          break;
        }
        case 'tag':
          if (o.value !== undefined) a.tag = o.value;
          break;
        case 'content':
          if (o.value !== undefined) a.content = o.value;
          break;
        case 'untagged':
          a.untagged = true;
          break;
        case 'transparent':
          a.transparent = true;
          break;
        case 'default':
          a.default = true;
          break;
        case 'skip':
          a.skip = true;
          break;
        case 'skip_serializing':
          a.skipSerializing = true;
          break;
        case 'skip_deserializing':
          a.skipDeserializing = true;
          break;
        case 'skip_serializing_if':
          a.skipSerializingIf = o.value ?? '';
          break;
        case 'flatten':
          a.flatten = true;
          break;
        case 'with':
        case 'serialize_with':
        case 'deserialize_with':
          (a.with ??= []).push(o.value ?? '');
          break;
        case 'other':
          a.other = true;
          break;
        default:
          break;
      }
    }
  }
  return a;
}

function derivesOf(metas: readonly Meta[]): string[] {
  return effectiveMetas(metas)
    .filter((m) => m.path === 'derive')
    .flatMap((m) => (m.list ?? []).map((x) => lastSegment(x.path)));
}

/** `<'a, T: Clone, const N: usize, U = ()>` → `T`, `U`. */
function genericNames(node: Node | null): string[] {
  if (!node) return [];
  const out: string[] = [];
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'type_identifier') out.push(c.text);
    else if (c.type === 'constrained_type_parameter' || c.type === 'optional_type_parameter' || c.type === 'type_parameter') {
      const name = c.childForFieldName('left') ?? c.childForFieldName('name') ?? c.namedChildren.find((x) => x?.type === 'type_identifier');
      if (name && name.type === 'type_identifier') out.push(name.text);
    }
  }
  return out;
}

function readFields(body: Node | null, src: string): SerdeShape {
  if (body?.type === 'field_declaration_list') {
    const fields: SerdeField[] = [];
    for (const f of body.namedChildren) {
      if (f?.type !== 'field_declaration') continue;
      const lead = leadingAttrs(f, src);
      const field: SerdeField = { name: f.childForFieldName('name')?.text ?? '', type: normalizeType(f.childForFieldName('type')?.text ?? ''), attrs: serdeAttrs(lead.metas) };
      if (lead.doc) field.doc = lead.doc;
      fields.push(field);
    }
    return { kind: 'named', fields };
  }
  if (body?.type === 'ordered_field_declaration_list') {
    const fields: SerdeField[] = [];
    let metas: Meta[] = [];
    for (const c of body.namedChildren) {
      if (!c || c.type === 'visibility_modifier' || c.type === 'line_comment' || c.type === 'block_comment') continue;
      if (c.type === 'attribute_item') metas.push(readAttributeItem(c, src));
      else {
        fields.push({ name: String(fields.length), type: normalizeType(c.text), attrs: serdeAttrs(metas) });
        metas = [];
      }
    }
    return { kind: 'tuple', fields };
  }
  return { kind: 'unit' };
}

function readItems(container: Node, src: string, file: string, out: SerdeItem[]): void {
  for (const node of container.namedChildren) {
    if (!node) continue;
    if (node.type === 'mod_item') {
      const body = node.childForFieldName('body');
      if (body) readItems(body, src, file, out);
      continue;
    }
    if (node.type === 'ERROR') {
      readItems(node, src, file, out);
      continue;
    }
    if (node.type !== 'struct_item' && node.type !== 'enum_item' && node.type !== 'type_item') continue;
    const name = node.childForFieldName('name')?.text;
    if (!name) continue;
    const lead = leadingAttrs(node, src);
    const base: ItemBase = {
      name,
      generics: genericNames(node.childForFieldName('type_parameters')),
      derives: derivesOf(lead.metas),
      attrs: serdeAttrs(lead.metas),
      file,
      line: node.startPosition.row + 1,
    };
    if (lead.doc) base.doc = lead.doc;
    if (node.type === 'struct_item') out.push({ ...base, kind: 'struct', shape: readFields(node.childForFieldName('body'), src) });
    else if (node.type === 'type_item') out.push({ ...base, kind: 'alias', type: normalizeType(node.childForFieldName('type')?.text ?? '') });
    else {
      const variants: SerdeVariant[] = [];
      for (const v of node.childForFieldName('body')?.namedChildren ?? []) {
        if (v?.type !== 'enum_variant') continue;
        const vl = leadingAttrs(v, src);
        const variant: SerdeVariant = { name: v.childForFieldName('name')?.text ?? '', attrs: serdeAttrs(vl.metas), shape: readFields(v.childForFieldName('body'), src) };
        if (vl.doc) variant.doc = vl.doc;
        variants.push(variant);
      }
      out.push({ ...base, kind: 'enum', variants });
    }
  }
}

/** Structs, enums and type aliases of one Rust file with their serde options (needs `initRustParser()`). */
export function readSerdeItems(text: string, file: string): SerdeItem[] {
  return withRustTree(text, (tree) => {
    const out: SerdeItem[] = [];
    readItems(tree.rootNode, text, file, out);
    return out;
  });
}
