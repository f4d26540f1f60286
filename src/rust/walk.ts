import type { Node } from 'web-tree-sitter';

/**
 * Visits `root` and its descendants depth first, in source order, with an explicit stack instead
 * of recursion: a hostile file can nest brackets 100 000 levels deep, which would overflow the
 * JS call stack. `visit` returns `false` to skip a node's children. Named children by default.
 */
export function forEachNode(root: Node, visit: (n: Node) => boolean | void, children: (n: Node) => readonly (Node | null)[] = (n) => n.namedChildren): void {
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    const kids = children(n);
    for (let i = kids.length - 1; i >= 0; i--) {
      const c = kids[i];
      if (c) stack.push(c);
    }
  }
}

/** All children (anonymous tokens included), for walks that read punctuation too. */
export const allChildren = (n: Node): readonly (Node | null)[] => n.children;
