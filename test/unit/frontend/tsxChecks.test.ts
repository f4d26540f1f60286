import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { checkTsx, classUses, lintSolid, reactHabits, typecheckTsx, unknownClasses } from '../../../src/pipeline/tsx';

const SAMPLE = path.resolve(__dirname, '../../fixtures/bakery/frontend');
const page = (name: string): string => readFileSync(path.join(SAMPLE, 'src/pages', name), 'utf8');
const codes = (ds: { code?: string }[]): string[] => ds.map((d) => d.code ?? '');

describe('TSX checks with real tools', () => {
  it('the sample pages pass every check', async () => {
    for (const name of ['ProductList.tsx', 'OrderDetail.tsx', 'NewOrderForm.tsx']) {
      const ds = await checkTsx({ frontendAbs: SAMPLE, file: `src/pages/${name}`, text: page(name) });
      expect(ds.filter((d) => d.severity !== 'info'), name).toEqual([]);
    }
  }, 180_000);

  it('React habits get messages naming the Solid way', () => {
    const text = `import { useState, useEffect } from 'react';
export function F() {
  const [v, setV] = useState('');
  useEffect(() => {}, []);
  return <label htmlFor="x" className="p-2"><input value={v} onChange={(e) => setV(e.currentTarget.value)} /><input type="checkbox" onChange={() => {}} />{[1].map((n) => <b key={n}>{n}</b>)}</label>;
}`;
    const ds = reactHabits(ts, 'F.tsx', text);
    expect(codes(ds)).toEqual(['react-import', 'react-hook', 'react-hook', 'react-htmlfor', 'react-classname', 'react-onchange', 'react-key']);
    expect(ds.find((d) => d.code === 'react-onchange')).toMatchObject({ line: 5, message: expect.stringContaining('use `onInput=') });
    expect(ds.find((d) => d.code === 'react-hook')?.message).toContain('createSignal');
  });

  it('the TypeScript compiler checks the file inside the project, with the generated API types', () => {
    const text = `import { getOrder, listCustomers } from '../api/client';
import type { Order } from '../api/types';
export const total = (o: Order): string => o.total_cent.toFixed(2);
export const load = () => getOrder('7');`;
    const ds = typecheckTsx({ frontendAbs: SAMPLE, file: 'src/pages/Broken.tsx', text });
    const msgs = ds.map((d) => `${d.line}: ${d.message.split('\n')[0]}`);
    expect(msgs).toEqual([
      `1: Module '"../api/client"' has no exported member 'listCustomers'.`,
      `3: Property 'total_cent' does not exist on type 'Order'. Did you mean 'total_cents'?`,
      `4: Argument of type 'string' is not assignable to parameter of type 'number'.`,
    ]);
  }, 120_000);

  it('eslint-plugin-solid flags destructured props', () => {
    const text = `export default function Card({ title }: { title: string }) {\n  return <h2>{title}</h2>;\n}\n`;
    const ds = lintSolid(SAMPLE, 'src/Card.tsx', text);
    expect(ds.map((d) => `${d.severity} ${d.code}`)).toEqual(['error solid/no-destructure']);
  });

  it('class names are checked against Tailwind and DaisyUI as installed, with suggestions', async () => {
    const text = `export const A = (p: { on: boolean }) => <div class="card bg-base-100 md:p-4 btn-primery form-control my-own" classList={{ 'badge-sucess': p.on }}><span class={p.on ? 'badge badge-info' : 'text-xs'} /></div>;`;
    expect(classUses(ts, 'A.tsx', text).map((u) => u.name)).toEqual(['card', 'bg-base-100', 'md:p-4', 'btn-primery', 'form-control', 'my-own', 'badge-sucess', 'badge', 'badge-info', 'text-xs']);
    const ds = await unknownClasses(ts, SAMPLE, 'A.tsx', text);
    expect(ds.map((d) => d.message)).toEqual([
      'Unknown class `btn-primery`: neither a Tailwind utility nor a DaisyUI class (did you mean `btn-primary`?).',
      'Unknown class `form-control`: neither a Tailwind utility nor a DaisyUI class.',
      'Unknown class `my-own`: neither a Tailwind utility nor a DaisyUI class.',
      'Unknown class `badge-sucess`: neither a Tailwind utility nor a DaisyUI class (did you mean `badge-success`?).',
    ]);
  }, 120_000);
});
