// Fenced blocks in a model answer: the code modes take their answer from one, and the agents'
// lenient JSON reader looks in them first. One scanner for both (``` and ~~~ fences).

export interface Fence {
  /** The info string, lower-cased ('' when the fence names no language). */
  lang: string;
  body: string;
  closed: boolean;
}

/** Every fenced block (``` or ~~~), in order; an unclosed fence runs to the end of the text. */
export function findFences(text: string): Fence[] {
  const lines = text.split(/\r?\n/);
  const out: Fence[] = [];
  let cur: { marker: string; lang: string; body: string[] } | undefined;
  for (const line of lines) {
    const m = /^\s*(`{3,}|~{3,})\s*([\w+#,.-]*)\s*$/.exec(line);
    if (!cur) {
      if (m) cur = { marker: m[1]!, lang: m[2]!.toLowerCase(), body: [] };
      continue;
    }
    if (m && m[1]!.startsWith(cur.marker[0]!) && m[1]!.length >= cur.marker.length && m[2] === '') {
      out.push({ lang: cur.lang, body: cur.body.join('\n'), closed: true });
      cur = undefined;
    } else {
      cur.body.push(line);
    }
  }
  if (cur) out.push({ lang: cur.lang, body: cur.body.join('\n'), closed: false });
  return out;
}

