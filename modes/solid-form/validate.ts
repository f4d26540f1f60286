import type * as TS from 'typescript';
import { diag, type Diagnostic } from '../../src/core/diagnostics';
import { isRequired, type FormField } from '../solid-common/fields';

type Ts = typeof TS;

const FORM_TAGS = new Set(['input', 'select', 'textarea']);
/** `customer_id`, `customerId`, `setCustomerId` all contain `customerid` once squashed. */
const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

interface Control {
  tag: string;
  required: boolean;
  /** Squashed text of its attributes, to see which field it edits. */
  binds: string;
}

function controls(ts: Ts, sf: TS.SourceFile): Control[] {
  const out: Control[] = [];
  const visit = (n: TS.Node): void => {
    if (ts.isJsxOpeningElement(n) || ts.isJsxSelfClosingElement(n)) {
      const tag = n.tagName.getText(sf);
      if (FORM_TAGS.has(tag)) {
        const attrs = n.attributes.properties.filter(ts.isJsxAttribute);
        const required = attrs.some((a) => a.name.getText(sf) === 'required' && (!a.initializer || !/\{\s*false\s*\}/.test(a.initializer.getText(sf))));
        const binds = squash(attrs.filter((a) => ['value', 'checked', 'onInput', 'onChange', 'name', 'id'].includes(a.name.getText(sf))).map((a) => a.initializer?.getText(sf) ?? '').join(' '));
        out.push({ tag, required, binds });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * What makes a form usable, beyond type-checking: it submits (`onSubmit`), every required field
 * of the request type has a control marked `required`, and a failed call shows the server's error.
 */
export function checkForm(ts: Ts, code: string, body: string, fields: readonly FormField[]): Diagnostic[] {
  const sf = ts.createSourceFile('form.tsx', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const out: Diagnostic[] = [];
  if (!/\bonSubmit\s*=/.test(code)) out.push(diag('error', 'form-no-submit', 'The form must submit with `<form onSubmit={submit}>` (and `event.preventDefault()` in submit).'));
  const all = controls(ts, sf);
  for (const f of fields.filter(isRequired)) {
    const key = squash(f.name);
    const bound = all.filter((c) => c.binds.includes(key));
    if (!bound.length) out.push(diag('error', 'form-field-missing', `\`${f.name}\` is required in ${body}, but the form has no <input>/<select> for it.`));
    else if (!bound.some((c) => c.required)) out.push(diag('error', 'form-required-missing', `\`${f.name}\` is required in ${body}: give its <${bound[0]!.tag}> the \`required\` attribute.`));
  }
  const readsError = /\.error\s*\.\s*message\b|\.error\b/.test(code) && /\.ok\b/.test(code);
  if (!readsError || !/\balert-error\b/.test(code)) {
    out.push(diag('error', 'form-server-error-hidden', 'Show what the server said when saving fails: `if (!result.ok) setError(result.error.message)`, rendered in a `<div role="alert" class="alert alert-error">`.'));
  }
  return out;
}
