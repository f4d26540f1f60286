import { parseCargoMessages, type CompilerError } from '../compile/messages';
import { GitRepository, parseTrailers, TASK_TRAILER } from '../git';

/** Why the backend did not build: the first compiler error, in an app-relative file, and who wrote it. */
export interface BuildFailure {
  /** App-relative (`backend/src/models/order.rs`), when the compiler named a file of the app. */
  file?: string;
  line?: number;
  message: string;
  rendered: string;
  /** The nocodo task whose commit last changed that file, when git knows one. */
  taskId?: string;
  /** That commit's subject (`diesel-model-fn: Orders of a customer`). */
  commitSubject?: string;
}

/** The first error of `cargo … --message-format=json` output; undefined when there is none. */
export function firstBuildError(cargoJsonOutput: string, crateDir: string): BuildFailure | undefined {
  const parsed = parseCargoMessages(cargoJsonOutput);
  const err: CompilerError | undefined = parsed.errors[0];
  if (!err) {
    const plain = parsed.plain.find((l) => /^error(\[\w+\])?:/.test(l));
    return plain ? { message: plain.replace(/^error(\[\w+\])?:\s*/, ''), rendered: plain } : undefined;
  }
  return {
    ...(err.file ? { file: crateDir ? `${crateDir}/${err.file}` : err.file } : {}),
    ...(err.line ? { line: err.line } : {}),
    message: err.message,
    rendered: err.rendered,
  };
}

/** Adds the task that produced `failure.file` (the `Nocodo-Task` trailer of its last commit). */
export async function attributeBuildFailure(appDir: string, failure: BuildFailure): Promise<BuildFailure> {
  if (!failure.file) return failure;
  try {
    const repo = await GitRepository.find(appDir);
    if (!repo) return failure;
    const message = await repo.raw(['log', '-1', '--format=%B', '--', repo.rel(`${appDir}/${failure.file}`)]);
    const taskId = parseTrailers(message)[TASK_TRAILER];
    return { ...failure, ...(taskId ? { taskId, commitSubject: message.split('\n')[0]!.trim() } : {}) };
  } catch {
    return failure;
  }
}

/** One line for the user: "backend/src/x.rs:12: mismatched types (from task … “subject”)". */
export function describeBuildFailure(f: BuildFailure): string {
  const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
  const who = f.taskId ? ` (written by task ${f.taskId}${f.commitSubject ? `, “${f.commitSubject}”` : ''})` : '';
  return `The backend does not build: ${where}${f.message}${who}`;
}
