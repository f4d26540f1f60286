// Errors of the embedded runtime, with a kind so the parent can word them and decide what to do.

export type RuntimeFaultKind = 'no-runtime' | 'bad-model-file' | 'out-of-memory' | 'load-failed' | 'bad-grammar' | 'context-too-long' | 'crashed' | 'start-timeout' | 'restricted';

export class RuntimeFault extends Error {
  constructor(
    readonly kind: RuntimeFaultKind,
    message: string,
  ) {
    super(message);
    this.name = 'RuntimeFault';
  }
}

/** The prompt does not fit the context: answered like llama-server (400, exceed_context_size_error). */
export class ContextTooLong extends RuntimeFault {
  constructor(
    readonly promptTokens: number,
    readonly contextSize: number,
  ) {
    super('context-too-long', `The prompt has ${promptTokens} tokens; the context holds ${contextSize} (nocodo serve --ctx, at most the model's own).`);
  }
}
