import { version } from '../../package.json';
import { evalCommand } from './commands/eval';
import { generateCommand } from './commands/generate';
import { newCommand } from './commands/new';
import { runCommand } from './commands/run';
import { schemaCommand } from './commands/schema';
import { serveCommand } from './commands/serve';
import { typesCommand } from './commands/types';
import { escapeTerminal } from './terminal';
import { UsageError, type CliCommand, type CliIo } from './types';

/** Every subcommand. To add one, write src/cli/commands/<name>.ts and list it here. */
export const commands: CliCommand[] = [newCommand, runCommand, schemaCommand, generateCommand, typesCommand, evalCommand, serveCommand];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'nocodo: build small CRUD apps with small local models.',
    '',
    'Usage: nocodo <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     Show help (also `nocodo <command> --help`)',
    '  -v, --version  Show the version',
    '  --debug        Print stack traces of unexpected errors (any command)',
    '',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argvIn: readonly string[], ioIn: CliIo): Promise<number> {
  // Everything printed passes through escapeTerminal: answers and project files may hold escapes.
  const io: CliIo = { ...ioIn, stdout: (t) => ioIn.stdout(escapeTerminal(t)), stderr: (t) => ioIn.stderr(escapeTerminal(t)) };
  const debug = argvIn.includes('--debug');
  const argv = argvIn.filter((a) => a !== '--debug');
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') {
    (first === undefined ? io.stderr : io.stdout)(overview());
    return first === undefined ? 2 : 0;
  }
  if (first === '-v' || first === '--version') {
    io.stdout(`${version}\n`);
    return 0;
  }
  const helpFor = first === 'help' ? rest[0] : undefined;
  if (first === 'help') {
    const cmd = commands.find((c) => c.name === helpFor);
    io.stdout(cmd ? `${cmd.usage}\n` : overview());
    return cmd || helpFor === undefined ? 0 : 2;
  }
  const cmd = commands.find((c) => c.name === first);
  if (!cmd) {
    io.stderr(`nocodo: unknown command "${first}".\n\n${overview()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${cmd.usage}\n`);
    return 0;
  }
  try {
    return await cmd.run([...rest], io);
  } catch (err) {
    if (err instanceof UsageError || (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`nocodo ${cmd.name}: ${err.message}\n\n${cmd.usage}\n`);
      return 2;
    }
    // One line for the user; the stack only when asked for.
    const message = err instanceof Error ? err.message : String(err);
    const line = oneLineOf(message) || (err instanceof Error ? err.name : 'failed');
    io.stderr(`nocodo ${cmd.name}: ${line}${debug ? '' : ' (run again with --debug for details)'}\n`);
    if (debug && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return 1;
  }
}

const oneLineOf = (s: string): string => s.replace(/\s*\n\s*(?:-\s*)?/g, ' ').trim();

function nodeIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

// Run only as the entry point (dist/cli.js), not when tests import runCli.
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  // `nocodo … | head`: the reader went away; stop quietly instead of dying on EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  void runCli(process.argv.slice(2), nodeIo()).then((code) => {
    process.exitCode = code;
  });
}
