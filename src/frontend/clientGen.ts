import type { ApiEndpoint } from './apiModel';

/** The fixed part of client.ts: the result type and one `request` function every route uses. */
const RUNTIME = `/** Why a call failed: the server answered with an error status, did not answer, or sent something unreadable. */
export type ApiError =
  | { kind: 'http'; status: number; message: string; body: unknown }
  | { kind: 'network'; message: string }
  | { kind: 'decode'; status: number; message: string };

/** What every client function resolves to. The functions never throw. */
export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** An ApiError as an Error, for \`createResource\`, whose error state catches what the fetcher throws. */
export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }
}

/** The data of a successful call, else throws ApiCallError: \`createResource(() => dataOrThrow(listProducts()))\`. */
export async function dataOrThrow<T>(call: Promise<ApiResult<T>>): Promise<T> {
  const result = await call;
  if (result.ok) return result.data;
  throw new ApiCallError(result.error);
}

let baseUrl = '';

/** Where the API is served ('' = the page's own origin, e.g. behind Vite's dev proxy). */
export function setApiBaseUrl(url: string): void {
  baseUrl = url.replace(/\\/+$/, '');
}

function searchParams(values: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  return params.toString();
}

function errorMessage(body: unknown, res: Response): string {
  if (typeof body === 'string' && body.trim()) return body.trim();
  if (body && typeof body === 'object') {
    for (const key of ['message', 'error', 'detail']) {
      const value = (body as Record<string, unknown>)[key];
      if (typeof value === 'string' && value) return value;
    }
  }
  return \`\${res.status} \${res.statusText}\`.trim();
}

async function request<T>(method: string, path: string, options: { query?: object; json?: unknown; form?: object } = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers };
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    init.body = searchParams(options.form);
  }
  const query = options.query ? searchParams(options.query) : '';
  let res: Response;
  try {
    res = await fetch(\`\${baseUrl}\${path}\${query ? \`?\${query}\` : ''}\`, init);
  } catch (err) {
    return { ok: false, error: { kind: 'network', message: err instanceof Error ? err.message : String(err) } };
  }
  let text = '';
  try {
    text = await res.text();
  } catch (err) {
    return { ok: false, error: { kind: 'network', message: err instanceof Error ? err.message : String(err) } };
  }
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      if (res.ok) return { ok: false, error: { kind: 'decode', status: res.status, message: \`The server answered \${res.status} with a body that is not JSON.\` } };
      body = text;
    }
  }
  if (!res.ok) return { ok: false, error: { kind: 'http', status: res.status, message: errorMessage(body, res), body } };
  return { ok: true, data: body as T };
}`;

const TYPE_NAME = /\b[A-Z][A-Za-z0-9_]*\b/g;

/** `/api/orders/{id}` → a template literal with each parameter URL-encoded. */
function pathExpr(path: string): string {
  const parts = path.replace(/`/g, '\\`').replace(/\{([^}:]+)(?::[^}]*)?\}/g, (_, name: string) => `\${encodeURIComponent(String(${safeIdent(name.trim())}))}`);
  return parts.includes('${') ? `\`${parts}\`` : `'${parts.replace(/'/g, "\\'")}'`;
}

const RESERVED = new Set(['body', 'query', 'function', 'class', 'default', 'delete', 'new', 'var', 'let', 'const', 'in', 'for', 'if', 'return']);
const safeIdent = (name: string): string => {
  const id = name.replace(/[^A-Za-z0-9_$]/g, '_').replace(/^(\d)/, '_$1');
  return RESERVED.has(id) ? `${id}Param` : id;
};

function endpointFn(e: ApiEndpoint): string {
  const args = [...e.pathParams.map((p) => `${safeIdent(p.name)}: ${p.ts}`), ...(e.body ? [`body: ${e.body.ts}`] : []), ...(e.query ? [`query: ${e.query}`] : [])];
  const opts = [...(e.body ? [e.body.encoding === 'json' ? 'json: body' : 'form: body'] : []), ...(e.query ? ['query'] : [])];
  return [
    `/** ${e.method} ${e.path} (${e.handler}) */`,
    `export function ${e.fnName}(${args.join(', ')}): Promise<ApiResult<${e.response}>> {`,
    `  return request<${e.response}>('${e.method}', ${pathExpr(e.path)}${opts.length ? `, { ${opts.join(', ')} }` : ''});`,
    '}',
  ].join('\n');
}

/** client.ts: the fixed runtime, then one function per route, importing the types it names. */
export function renderClient(endpoints: readonly ApiEndpoint[], declared: ReadonlySet<string>, header: string): string {
  const used = new Set<string>();
  const fns = endpoints.map(endpointFn);
  for (const e of endpoints) {
    const text = [e.response, e.body?.ts ?? '', e.query ?? '', ...e.pathParams.map((p) => p.ts)].join(' ').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const m of text.match(TYPE_NAME) ?? []) if (declared.has(m)) used.add(m);
  }
  const imports = used.size ? `import type { ${[...used].sort().join(', ')} } from './types';\n\n` : '';
  return `${header}\n${imports}${RUNTIME}\n${fns.length ? `\n${fns.join('\n\n')}\n` : ''}`;
}
