// What the parent and the runtime child process tell each other over the IPC channel.

export interface ChildStartOptions {
  modelPath: string;
  token: string;
  port?: number;
  threads?: number;
  maxContextSize?: number;
  memoryBudgetBytes?: number;
}

export interface ChildModelInfo {
  modelId: string;
  modelPath: string;
  contextSize: number;
  chatTemplate: string;
  loadMs: number;
  threads: number;
}

export type ChildMessage =
  | { type: 'ready'; port: number; info: ChildModelInfo }
  | { type: 'fault'; kind: string; message: string }
  | { type: 'log'; line: string };

/** The environment variable that carries the start options (JSON) to the child. */
export const CHILD_OPTIONS_ENV = 'NOCODO_RUNTIME_OPTIONS';
