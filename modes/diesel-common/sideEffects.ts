import { codeOnly } from './imports';

/** What a query function has no reason to do, with the code shapes that do it. */
const EFFECTS: { what: string; pattern: RegExp }[] = [
  { what: 'starts a process', pattern: /\b(?:process::Command|Command::new|process::exit|\.spawn\s*\(|\.output\s*\(\s*\)|libc::(?:system|exec\w*|fork))/ },
  {
    what: 'writes, deletes or renames files',
    pattern: /\b(?:fs::(?:write|remove_file|remove_dir(?:_all)?|rename|copy|create_dir(?:_all)?|set_permissions|hard_link|soft_link)|File::create|OpenOptions|os::unix::fs::symlink)\b/,
  },
  { what: 'opens network connections', pattern: /\b(?:TcpStream|UdpSocket|TcpListener)::/ },
];

/**
 * A warning for a Diesel query function that spawns processes, touches files or opens sockets:
 * it compiles and passes every schema check, so only the person reviewing it can stop it, and
 * the proposal summary is where they look. Undefined when the code does none of these.
 */
export function sideEffectWarning(code: string): string | undefined {
  const c = codeOnly(code);
  const found = EFFECTS.filter((e) => e.pattern.test(c)).map((e) => e.what);
  if (!found.length) return undefined;
  return `it ${found.join(' and ')}, which a query function has no reason to do; read it before accepting`;
}
