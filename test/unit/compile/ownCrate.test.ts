import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withOwnBinary, writeOwnCrate } from '../../../src/compile/ownCrate';

const parent = mkdtempSync(path.join(tmpdir(), 'nocodo-own-crate-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const crate = (main: string): Map<string, string> => new Map([
  ['Cargo.toml', '[package]\nname = "bakery"\nversion = "0.1.0"\nedition = "2021"\n'],
  ['src/main.rs', main],
]);

describe('withOwnBinary', () => {
  it('adds a [[bin]] for src/main.rs, and refuses a Cargo.toml that declares its own bins', () => {
    expect(withOwnBinary('[package]\nname = "bakery"\n\n[dependencies]\nserde = "1"\n', 'backend-abc')).toBe('[package]\nname = "bakery"\n\n[dependencies]\nserde = "1"\n\n[[bin]]\nname = "backend-abc"\npath = "src/main.rs"\n');
    expect(withOwnBinary('[package]\nname = "x"\n\n[[bin]]\nname = "x"\n', 'y')).toBeUndefined();
  });
});

describe('writeOwnCrate', () => {
  it('writes each content once, in its own folder, with a binary named after it', () => {
    const one = writeOwnCrate(crate('fn main() { println!("one"); }\n'), parent, 'twin');
    const again = writeOwnCrate(crate('fn main() { println!("one"); }\n'), parent, 'twin');
    const two = writeOwnCrate(crate('fn main() { println!("two"); }\n'), parent, 'twin');
    expect(again).toEqual(one);
    expect(two.dir).not.toBe(one.dir);
    expect(two.bin).not.toBe(one.bin);
    expect(one.bin).toMatch(/^twin-[0-9a-f]{12}$/);
    expect(path.dirname(one.dir)).toBe(parent);
    expect(readFileSync(path.join(one.dir, 'Cargo.toml'), 'utf8')).toContain(`[[bin]]\nname = "${one.bin}"\npath = "src/main.rs"\n`);
    expect(readFileSync(path.join(two.dir, 'src/main.rs'), 'utf8')).toContain('"two"');
    // Nothing half-written is left beside the folders.
    expect(readdirSync(parent).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('says why when the crate cannot get a binary of its own', () => {
    expect(() => writeOwnCrate(new Map([['src/main.rs', '']]), parent, 'x')).toThrow(/no Cargo.toml/);
    expect(() => writeOwnCrate(new Map([['Cargo.toml', '[package]\nname = "x"\n\n[[bin]]\nname = "x"\npath = "src/main.rs"\n']]), parent, 'x')).toThrow(/declares its own \[\[bin\]\]/);
  });
});
