import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startLocalRuntime } from '../localRuntime';
import { parseCommandArgs, positiveInt, UsageError, type CliCommand } from '../types';

const usage = `Usage: nocodo serve --model <file.gguf> [--port N] [--threads N] [--ctx N] [--token T]

Serves a GGUF model with nocodo's embedded runtime (llama.cpp through node-llama-cpp, CPU only)
as an OpenAI-compatible server on 127.0.0.1: POST /v1/chat/completions (streaming, response_format
json_schema and GBNF \`grammar\` enforced as llama.cpp grammars), GET /v1/models, GET /health,
POST /tokenize. Point nocodo.llm.baseUrl (or nocodo eval --base-url) at the printed URL.

Options:
  --model <file>   The .gguf file (required)
  --port <n>       Port (default 8080; a taken port falls back to a free one, printed)
  --threads <n>    CPU threads (default: all math cores)
  --ctx <n>        Context length cap (default: the model's own, at most 8192)
  --token <t>      Require this bearer token (default: none, as llama-server without --api-key)
  -h, --help       Show this help

Stops on Ctrl+C.`;

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve a .gguf model as an OpenAI-compatible server (the embedded runtime, no llama.cpp install needed)',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { model: { type: 'string' }, port: { type: 'string' }, threads: { type: 'string' }, ctx: { type: 'string' }, token: { type: 'string' }, 'random-token': { type: 'boolean', default: false } });
    if (!values.model) throw new UsageError('--model <file.gguf> is required.');
    const port = values.port === undefined ? 8080 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port needs a port number, not "${values.port}".`);
    const threads = positiveInt(values.threads, '--threads');
    const ctx = positiveInt(values.ctx, '--ctx');
    const token = values.token ?? (values['random-token'] ? randomBytes(24).toString('base64url') : '');
    const modelPath = path.resolve(io.cwd, values.model);

    let local;
    try {
      local = await startLocalRuntime(modelPath, { port, token, ...(threads ? { threads } : {}), ...(ctx ? { maxContextSize: ctx } : {}), log: (l) => io.stderr(`${l}\n`) });
    } catch (err) {
      io.stderr(`nocodo serve: ${(err as Error).message}\n`);
      return 1;
    }
    if (token && values['random-token']) io.stderr(`Token: ${token}\n`);
    io.stdout(`${local.endpoint.baseUrl}\n`);
    const crashed = new Promise<number>((resolve) => local.runtime.onStatus((s) => s.state === 'failed' && resolve(1)));
    const code = await Promise.race([
      crashed,
      new Promise<number>((resolve) => {
        process.once('SIGINT', () => resolve(0));
        process.once('SIGTERM', () => resolve(0));
      }),
    ]);
    await local.stop();
    return code;
  },
};
