import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError, downloadModel, partPath } from '../../../src/localModel/download';

// The model download against a local HTTP fixture that behaves like the Hugging Face hub:
// HEAD publishes x-linked-size / x-linked-etag, GET honours Range. Never a real hub.

const body = randomBytes(3 * 2 ** 20 + 123);
const sha = createHash('sha256').update(body).digest('hex');
let server: http.Server;
let base: string;
let dir: string;
const seen: { method: string; range?: string }[] = [];
let publishSha = sha;
let rangeSupported = true;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method!, ...(req.headers.range ? { range: req.headers.range } : {}) });
    if (req.url !== '/org/model/resolve/main/m.gguf') return res.writeHead(404).end();
    if (req.method === 'HEAD') return res.writeHead(302, { Location: '/cdn/m.gguf', 'x-linked-size': String(body.length), 'x-linked-etag': `"${publishSha}"` }).end();
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const from = m && rangeSupported ? Number(m[1]) : 0;
    res.writeHead(from ? 206 : 200, { 'Content-Length': String(body.length - from) });
    // Slow enough in 64 KiB pieces that a test can cancel in the middle.
    let at = from;
    const pump = () => {
      if (at >= body.length) return res.end();
      const next = Math.min(body.length, at + 65536);
      res.write(body.subarray(at, next), () => setImmediate(pump));
      at = next;
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'nocodo-dl-'));
  seen.length = 0;
  publishSha = sha;
  rangeSupported = true;
});

const url = () => `${base}/org/model/resolve/main/m.gguf`;

describe('downloadModel', () => {
  it('downloads, reports progress with size and speed, checks size and hash, renames into place', async () => {
    const dest = path.join(dir, 'm.gguf');
    const progress: number[] = [];
    let speed = 0;
    const r = await downloadModel({ url: url(), dest, onProgress: (p) => { progress.push(p.receivedBytes); speed = p.bytesPerSecond; expect(p.totalBytes).toBe(body.length); } });
    expect(r).toEqual({ sizeBytes: body.length, sha256: sha });
    expect((await fsp.readFile(dest)).equals(body)).toBe(true);
    expect(progress.at(-1)).toBe(body.length);
    expect(speed).toBeGreaterThan(0);
    await expect(fsp.stat(partPath(dest))).rejects.toThrow();
  });

  it('cancel keeps the part; the next try resumes with a Range request', async () => {
    const dest = path.join(dir, 'm.gguf');
    const ctl = new AbortController();
    const first = await downloadModel({ url: url(), dest, signal: ctl.signal, onProgress: (p) => p.receivedBytes > 2 ** 20 && ctl.abort() }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(DownloadError);
    expect((first as DownloadError).kind).toBe('cancelled');
    const kept = (await fsp.stat(partPath(dest))).size;
    expect(kept).toBeGreaterThan(2 ** 20);
    expect(kept).toBeLessThan(body.length);
    let resumedFrom = -1;
    await downloadModel({ url: url(), dest, onProgress: (p) => (resumedFrom = p.resumedFromBytes) });
    expect(seen.filter((s) => s.method === 'GET').at(-1)?.range).toBe(`bytes=${kept}-`);
    expect(resumedFrom).toBe(kept);
    expect((await fsp.readFile(dest)).equals(body)).toBe(true);
  });

  it('a server that ignores Range: starts over and still ends with the right file', async () => {
    const dest = path.join(dir, 'm.gguf');
    await fsp.writeFile(partPath(dest), body.subarray(0, 1000));
    rangeSupported = false;
    await downloadModel({ url: url(), dest });
    expect((await fsp.readFile(dest)).equals(body)).toBe(true);
  });

  it('a hash mismatch deletes the file and says so', async () => {
    publishSha = 'f'.repeat(64);
    const dest = path.join(dir, 'm.gguf');
    const e = (await downloadModel({ url: url(), dest }).catch((x: unknown) => x)) as DownloadError;
    expect(e.kind).toBe('hash-mismatch');
    expect(e.message).toMatch(/SHA-256 is [0-9a-f]{64}, the published one is f{64}/);
    await expect(fsp.stat(dest)).rejects.toThrow();
    await expect(fsp.stat(partPath(dest))).rejects.toThrow();
  });

  it('published values that disagree with the pinned ones stop before downloading', async () => {
    const e = (await downloadModel({ url: url(), dest: path.join(dir, 'm.gguf'), pinned: { sizeBytes: 42 } }).catch((x: unknown) => x)) as DownloadError;
    expect(e.kind).toBe('size-mismatch');
    expect(seen.some((s) => s.method === 'GET')).toBe(false);
  });

  it('checks free disk space first', async () => {
    const e = (await downloadModel({ url: url(), dest: path.join(dir, 'm.gguf'), freeBytes: async () => 2 ** 20 }).catch((x: unknown) => x)) as DownloadError;
    expect(e.kind).toBe('no-space');
    expect(e.message).toMatch(/Not enough free disk space .* 1 MiB are free/);
    expect(seen.some((s) => s.method === 'GET')).toBe(false);
  });

  it('an unknown file is a clear HTTP error', async () => {
    const e = (await downloadModel({ url: `${base}/nope.gguf`, dest: path.join(dir, 'x.gguf') }).catch((x: unknown) => x)) as DownloadError;
    expect(e.kind).toBe('http');
    expect(e.message).toMatch(/404/);
  });
});
