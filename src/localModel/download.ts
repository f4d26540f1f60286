import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';

// Downloads one model file: free disk space checked first, progress with size and speed,
// cancellable, resumable (the `.part` file stays and the next try asks for the rest with a
// Range request), and the result checked against the published size and SHA-256 before it is
// renamed into place. Only ever started by the user; tests serve it from a local HTTP fixture.

export interface Published {
  sizeBytes: number;
  sha256: string;
}

export interface DownloadProgress {
  receivedBytes: number;
  totalBytes: number;
  /** Average over the last few seconds. */
  bytesPerSecond: number;
  resumedFromBytes: number;
}

export interface DownloadOptions {
  url: string;
  dest: string;
  /** Values pinned by nocodo (catalog); the hub's published values must agree with them. */
  pinned?: Partial<Published>;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Free bytes on the disk holding `dir` (default: statfs). */
  freeBytes?: (dir: string) => Promise<number>;
  fetchImpl?: typeof fetch;
}

export type DownloadErrorKind = 'cancelled' | 'no-space' | 'http' | 'unpublished' | 'size-mismatch' | 'hash-mismatch';

export class DownloadError extends Error {
  constructor(
    readonly kind: DownloadErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** Room kept free beyond the file itself. */
const DISK_MARGIN = 256 * 2 ** 20;

export const partPath = (dest: string): string => `${dest}.part`;

/** Size and hash the hub publishes for the file (HEAD on the resolve URL, redirects not followed). */
export async function fetchPublished(url: string, pinned: Partial<Published> = {}, fetchImpl: typeof fetch = fetch, signal?: AbortSignal): Promise<Published> {
  let res: Response;
  try {
    res = await fetchImpl(url, { method: 'HEAD', redirect: 'manual', ...(signal ? { signal } : {}) });
  } catch (err) {
    if (signal?.aborted) throw new DownloadError('cancelled', 'Download cancelled.');
    throw new DownloadError('http', `Could not reach ${url}: ${(err as Error).message}`);
  }
  if (res.status >= 400) throw new DownloadError('http', `${url} answered ${res.status} ${res.statusText}.`);
  const size = Number(res.headers.get('x-linked-size') ?? (res.status === 200 ? res.headers.get('content-length') : NaN));
  const etag = (res.headers.get('x-linked-etag') ?? '').replace(/^W\//, '').replace(/"/g, '').toLowerCase();
  const sha = /^[0-9a-f]{64}$/.test(etag) ? etag : undefined;
  const published = { sizeBytes: Number.isFinite(size) && size > 0 ? size : pinned.sizeBytes, sha256: sha ?? pinned.sha256 };
  if (pinned.sizeBytes !== undefined && published.sizeBytes !== pinned.sizeBytes) throw new DownloadError('size-mismatch', `${url} is published with ${published.sizeBytes} bytes, nocodo expects ${pinned.sizeBytes}. Not downloading.`);
  if (pinned.sha256 && published.sha256 !== pinned.sha256) throw new DownloadError('hash-mismatch', `${url} is published with SHA-256 ${published.sha256}, nocodo expects ${pinned.sha256}. Not downloading.`);
  if (!published.sizeBytes || !published.sha256) throw new DownloadError('unpublished', `${url} publishes no ${!published.sizeBytes ? 'size' : 'SHA-256'}, so the download could not be checked. Not downloading.`);
  return published as Published;
}

export async function freeDiskBytes(dir: string): Promise<number> {
  const s = await fsp.statfs(dir);
  return Number(s.bavail) * Number(s.bsize);
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Downloads to `dest` (resuming a `.part` left by an earlier try) and returns the checked facts. */
export async function downloadModel(opts: DownloadOptions): Promise<Published> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const dir = path.dirname(opts.dest);
  await fsp.mkdir(dir, { recursive: true });
  const published = await fetchPublished(opts.url, opts.pinned, fetchImpl, opts.signal);
  const part = partPath(opts.dest);
  let have = await fsp.stat(part).then((s) => s.size, () => 0);
  if (have > published.sizeBytes) {
    await fsp.rm(part, { force: true });
    have = 0;
  }
  const free = await (opts.freeBytes ?? freeDiskBytes)(dir);
  const need = published.sizeBytes - have + DISK_MARGIN;
  if (free < need) throw new DownloadError('no-space', `Not enough free disk space in ${dir}: the model needs ${mib(published.sizeBytes - have)} MiB more (plus ${mib(DISK_MARGIN)} MiB to spare), ${mib(free)} MiB are free.`);

  if (have < published.sizeBytes) await fetchRest(opts, fetchImpl, part, have, published.sizeBytes);

  const size = (await fsp.stat(part)).size;
  if (size !== published.sizeBytes) {
    await fsp.rm(part, { force: true });
    throw new DownloadError('size-mismatch', `The downloaded file has ${size} bytes, ${published.sizeBytes} were published. It was deleted; try again.`);
  }
  const sha = await sha256File(part);
  if (sha !== published.sha256) {
    await fsp.rm(part, { force: true });
    throw new DownloadError('hash-mismatch', `The downloaded file's SHA-256 is ${sha}, the published one is ${published.sha256}. It was deleted; try again.`);
  }
  await fsp.rename(part, opts.dest);
  return published;
}

async function fetchRest(opts: DownloadOptions, fetchImpl: typeof fetch, part: string, have: number, total: number): Promise<void> {
  let res: Response;
  try {
    res = await fetchImpl(opts.url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {}, ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (err) {
    if (opts.signal?.aborted) throw new DownloadError('cancelled', 'Download cancelled; the part already downloaded is kept and the next try resumes it.');
    throw new DownloadError('http', `Could not download ${opts.url}: ${(err as Error).message}`);
  }
  if (res.status !== 200 && res.status !== 206) throw new DownloadError('http', `${opts.url} answered ${res.status} ${res.statusText}.`);
  // A server that ignores Range sends everything again: start over.
  const resumedFrom = res.status === 206 ? have : 0;
  const file = await fsp.open(part, resumedFrom > 0 ? 'a' : 'w');
  let received = resumedFrom;
  const window: { t: number; bytes: number }[] = [{ t: Date.now(), bytes: received }];
  try {
    if (!res.body) throw new DownloadError('http', `${opts.url} sent no body.`);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      await file.write(chunk);
      received += chunk.length;
      const now = Date.now();
      window.push({ t: now, bytes: received });
      while (window.length > 2 && now - window[0]!.t > 3000) window.shift();
      const span = (now - window[0]!.t) / 1000;
      opts.onProgress?.({ receivedBytes: received, totalBytes: total, bytesPerSecond: span > 0 ? (received - window[0]!.bytes) / span : 0, resumedFromBytes: resumedFrom });
    }
  } catch (err) {
    if (opts.signal?.aborted) throw new DownloadError('cancelled', `Download cancelled at ${mib(received)} of ${mib(total)} MiB; the next try resumes from there.`);
    if (err instanceof DownloadError) throw err;
    throw new DownloadError('http', `The download of ${opts.url} broke off at ${mib(received)} of ${mib(total)} MiB (${(err as Error).message}); the next try resumes from there.`);
  } finally {
    await file.close();
  }
}

const mib = (n: number): number => Math.round((n / 2 ** 20) * 10) / 10;
