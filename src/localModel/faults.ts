// Errors of the embedded runtime, with a kind so the parent can word them and decide what to do.

export type RuntimeFaultKind = 'no-runtime' | 'bad-model-file' | 'out-of-memory' | 'load-failed' | 'bad-grammar' | 'crashed' | 'start-timeout' | 'restricted';

export class RuntimeFault extends Error {
  constructor(
    readonly kind: RuntimeFaultKind,
    message: string,
  ) {
    super(message);
    this.name = 'RuntimeFault';
  }
}
