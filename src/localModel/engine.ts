import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as NodeLlamaCppModule from 'node-llama-cpp';
import type { ChatHistoryItem, Llama, LlamaChat, LlamaContext, LlamaGrammar, LlamaModel } from 'node-llama-cpp';
import { toGrammarSchema } from './gbnfSchema';
import { ContextTooLong, RuntimeFault } from './faults';
import { nodeLlamaRepeatPenalty, type RepeatPenalty } from './sampling';

// The model side of the embedded runtime (runs only in the child process): loads one GGUF with
// node-llama-cpp on the CPU, keeps one context sequence so a prompt that starts like the last one
// reuses its evaluated prefix, and runs one generation at a time.

export interface EngineOptions {
  modelPath: string;
  /** Context length; default: the model's own, capped by `maxContextSize`. */
  maxContextSize?: number;
  threads?: number;
  /** Memory the runtime may use; default: what the OS reports free. */
  memoryBudgetBytes?: number;
}

export interface GenerateRequest {
  history: ChatHistoryItem[];
  maxTokens: number;
  temperature: number;
  topP?: number;
  seed?: number;
  stop?: string[];
  /** Absent: no repetition penalty (llama-server's default). */
  repeatPenalty?: RepeatPenalty;
  /** A JSON schema the answer must follow (response_format json_schema), or a GBNF grammar. */
  jsonSchema?: unknown;
  grammar?: string;
  signal: AbortSignal;
  /** The request was accepted (grammar built) and the prompt is about to be read. */
  onStart?: () => void;
  onText: (text: string) => void;
}

export interface GenerateResult {
  text: string;
  finishReason: 'stop' | 'length' | 'cancelled';
  promptTokens: number;
  /** Tokens of the prompt already in the context from the previous call (not evaluated again). */
  cachedTokens: number;
  completionTokens: number;
  promptMs: number;
  predictedMs: number;
}

export interface EngineInfo {
  modelPath: string;
  modelId: string;
  fileBytes: number;
  contextSize: number;
  trainContextSize: number | undefined;
  chatTemplate: string;
  threads: number;
  loadMs: number;
}

const DEFAULT_MAX_CONTEXT = 8192;
type NodeLlamaCpp = typeof NodeLlamaCppModule;

export interface Engine {
  info: EngineInfo;
  generate(req: GenerateRequest): Promise<GenerateResult>;
  tokenize(text: string, addSpecial: boolean): number[];
  dispose(): Promise<void>;
}

export async function loadEngine(opts: EngineOptions): Promise<Engine> {
  const started = performance.now();
  const file = opts.modelPath;
  const name = path.basename(file);
  let lib: NodeLlamaCpp;
  try {
    lib = await import('node-llama-cpp');
  } catch (err) {
    throw new RuntimeFault('no-runtime', `The embedded runtime needs the node-llama-cpp package, which this installation lacks (${(err as Error).message}).`);
  }
  const stat = statOrFail(file);
  const info = await lib.readGgufFileInfo(file).catch((err: Error) => {
    throw new RuntimeFault('bad-model-file', `${file} is not a usable GGUF model file: ${err.message}`);
  });
  const llama: Llama = await lib.getLlama({ gpu: false, build: 'never', logLevel: lib.LlamaLogLevel.error });
  const insights = await lib.GgufInsights.from(info, llama);
  // A download that stopped early keeps a valid header; its tensors run past the end of the file.
  const expectedBytes = (info.infoEndOffset ?? 0) + insights.modelSize;
  if (info.infoEndOffset !== undefined && stat.size < expectedBytes * 0.999) {
    throw new RuntimeFault('bad-model-file', `${file} is truncated: it has ${stat.size} bytes, its tensors need about ${expectedBytes}. Download it again.`);
  }
  const trainContextSize = insights.trainContextSize;
  const contextSize = Math.min(trainContextSize ?? DEFAULT_MAX_CONTEXT, opts.maxContextSize ?? DEFAULT_MAX_CONTEXT);
  const needBytes = insights.estimateModelResourceRequirements({ gpuLayers: 0 }).cpuRam + insights.estimateContextResourceRequirements({ contextSize, modelGpuLayers: 0, sequences: 1 }).cpuRam;
  const budget = opts.memoryBudgetBytes ?? (await llama.getRamState()).free;
  if (needBytes > budget) {
    throw new RuntimeFault('out-of-memory', `Not enough memory for ${name} with a ${contextSize}-token context: it needs about ${mib(needBytes)} MiB, ${mib(budget)} MiB are available. Close other programs or pick a smaller model.`);
  }

  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: file, gpuLayers: 0 });
  } catch (err) {
    throw new RuntimeFault(err instanceof lib.InsufficientMemoryError ? 'out-of-memory' : 'bad-model-file', `llama.cpp could not load ${file}: ${(err as Error).message}`);
  }
  const threads = opts.threads ?? llama.cpuMathCores;
  let context: LlamaContext;
  try {
    context = await model.createContext({ contextSize, threads, sequences: 1 });
  } catch (err) {
    await model.dispose();
    throw new RuntimeFault(err instanceof lib.InsufficientMemoryError ? 'out-of-memory' : 'load-failed', `Could not make a ${contextSize}-token context for ${name}: ${(err as Error).message}`);
  }
  const sequence = context.getSequence();
  const chat: LlamaChat = new lib.LlamaChat({ contextSequence: sequence });
  const wrapperName = chat.chatWrapper.wrapperName ?? chat.chatWrapper.constructor.name;
  const hasTemplate = typeof info.metadata.tokenizer?.chat_template === 'string';
  const grammars = new Map<string, LlamaGrammar>();

  const grammarFor = async (req: GenerateRequest): Promise<LlamaGrammar | undefined> => {
    const key = req.grammar !== undefined ? `g:${req.grammar}` : req.jsonSchema !== undefined ? `s:${JSON.stringify(req.jsonSchema)}` : undefined;
    if (!key) return undefined;
    const cached = grammars.get(key);
    if (cached) return cached;
    let g: LlamaGrammar;
    try {
      g = req.grammar !== undefined ? await llama.createGrammar({ grammar: req.grammar }) : await llama.createGrammarForJsonSchema(toGrammarSchema(req.jsonSchema) as never);
    } catch (err) {
      throw new RuntimeFault('bad-grammar', `The ${req.grammar !== undefined ? 'grammar' : 'JSON schema'} could not be turned into a llama.cpp grammar: ${(err as Error).message}`);
    }
    if (grammars.size > 32) grammars.clear();
    grammars.set(key, g);
    return g;
  };

  const generate = async (req: GenerateRequest): Promise<GenerateResult> => {
    const grammar = await grammarFor(req);
    // A final assistant message is continued, not answered anew (llama-server's assistant prefill):
    // the model's turn stays open after it, and the answer holds only what the model adds.
    const withAnswer: ChatHistoryItem[] = req.history.at(-1)?.type === 'model' ? req.history : [...req.history, { type: 'model', response: [] }];
    const promptTokens = chat.chatWrapper.generateContextState({ chatHistory: withAnswer }).contextText.tokenize(model.tokenizer);
    // A prompt over the context would be cut from the front by node-llama-cpp's context shift (the
    // instructions lost, silently) or end the answer empty: refuse it, as llama-server does. An answer
    // may use what is left, so it stops at the context's end ('length') instead of shifting.
    if (promptTokens.length >= context.contextSize) throw new ContextTooLong(promptTokens.length, context.contextSize);
    const maxTokens = Math.min(req.maxTokens, context.contextSize - promptTokens.length);
    const cachedTokens = Math.min(sequence.compareContextTokens(promptTokens).firstDifferentIndex, promptTokens.length);
    req.onStart?.();
    const t0 = performance.now();
    let firstAt: number | undefined;
    let completionTokens = 0;
    const res = await chat.generateResponse(withAnswer, {
      maxTokens,
      temperature: req.temperature,
      ...(req.topP !== undefined ? { topP: req.topP } : {}),
      ...(req.seed !== undefined ? { seed: req.seed } : {}),
      ...(req.stop?.length ? { customStopTriggers: req.stop } : {}),
      repeatPenalty: nodeLlamaRepeatPenalty(req.repeatPenalty, promptTokens),
      ...(grammar ? { grammar } : {}),
      signal: req.signal,
      stopOnAbortSignal: true,
      onToken: (tokens) => {
        firstAt ??= performance.now();
        completionTokens += tokens.length;
      },
      onTextChunk: req.onText,
    });
    const end = performance.now();
    const stop = res.metadata.stopReason;
    return {
      text: res.response,
      finishReason: stop === 'abort' ? 'cancelled' : stop === 'maxTokens' ? 'length' : 'stop',
      promptTokens: promptTokens.length,
      cachedTokens,
      completionTokens,
      promptMs: (firstAt ?? end) - t0,
      predictedMs: firstAt !== undefined ? end - firstAt : 0,
    };
  };

  return {
    info: {
      modelPath: file,
      modelId: name.replace(/\.gguf$/i, ''),
      fileBytes: stat.size,
      contextSize: context.contextSize,
      trainContextSize,
      chatTemplate: hasTemplate ? `${wrapperName} (from the file's chat template)` : `${wrapperName} (the file has no chat template; chosen by architecture ${info.metadata.general?.architecture ?? '?'})`,
      threads,
      loadMs: Math.round(performance.now() - started),
    },
    generate,
    tokenize: (text, addSpecial) => {
      const t = model.tokenize(text, false);
      const bos = model.tokens.bos;
      return addSpecial && bos !== null && bos !== undefined ? [bos, ...t] : [...t];
    },
    dispose: async () => {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}

function statOrFail(file: string): fs.Stats {
  try {
    const s = fs.statSync(file);
    if (!s.isFile()) throw new Error('not a file');
    return s;
  } catch (err) {
    throw new RuntimeFault('bad-model-file', `The model file ${file} cannot be read: ${(err as Error).message}`);
  }
}

const mib = (n: number): number => Math.round(n / 2 ** 20);
