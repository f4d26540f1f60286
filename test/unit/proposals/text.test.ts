import { describe, expect, it } from 'vitest';
import { detectEol, forDocument, keepsAllCode, minimalEdit, sameContent } from '../../../src/proposals';

const applyEdit = (text: string, e: { start: number; end: number; text: string } | undefined): string => (e ? text.slice(0, e.start) + e.text + text.slice(e.end) : text);

describe('line endings', () => {
  it('detects the first line ending, with a fallback for one-line files', () => {
    expect(detectEol('a\r\nb\nc')).toBe('\r\n');
    expect(detectEol('a\nb\r\n')).toBe('\n');
    expect(detectEol('no newline')).toBe('\n');
    expect(detectEol('no newline', '\r\n')).toBe('\r\n');
    expect(detectEol('\nstarts with LF')).toBe('\n');
  });

  it('converts proposed LF text to the document line ending and drops a BOM', () => {
    expect(forDocument('a\nb\n', '\r\n')).toBe('a\r\nb\r\n');
    expect(forDocument('a\r\nb\n', '\n')).toBe('a\nb\n');
    expect(forDocument('\uFEFFuse x;\n', '\n')).toBe('use x;\n');
    // Already-CRLF input is not doubled.
    expect(forDocument('a\r\nb', '\r\n')).toBe('a\r\nb');
  });

  it('compares contents ignoring line endings and a BOM, nothing else', () => {
    expect(sameContent('a\r\nb\r\n', 'a\nb\n')).toBe(true);
    expect(sameContent('\uFEFFa\n', 'a\n')).toBe(true);
    expect(sameContent('a\n', 'a\n\n')).toBe(false);
    expect(sameContent('a b\n', 'a  b\n')).toBe(false);
  });
});

describe('minimalEdit', () => {
  it('replaces only the changed middle', () => {
    const cur = 'impl A {\n    fn a() {}\n}\n';
    const next = 'impl A {\n    fn a() {}\n\n    fn b() {}\n}\n';
    const e = minimalEdit(cur, next)!;
    expect(applyEdit(cur, e)).toBe(next);
    expect(e.text).toBe('\n    fn b() {}\n');
    expect(e.start).toBeGreaterThan(10);
  });

  it('is undefined for equal texts and handles pure insertions and deletions', () => {
    expect(minimalEdit('same', 'same')).toBeUndefined();
    expect(applyEdit('', minimalEdit('', 'new file\n'))).toBe('new file\n');
    expect(applyEdit('abc', minimalEdit('abc', 'ac'))).toBe('ac');
    expect(applyEdit('aaaa', minimalEdit('aaaa', 'aaaaaa'))).toBe('aaaaaa');
  });

  it('never splits a CRLF pair or a surrogate pair', () => {
    const cur = 'a\r\nb\r\n';
    const next = 'a\r\nX\r\nb\r\n';
    const e = minimalEdit(cur, next)!;
    expect(applyEdit(cur, e)).toBe(next);
    expect(cur[e.start - 1]).not.toBe('\r');
    expect(cur[e.end]).not.toBe('\n');
    const emoji = 'x 😀 y';
    const e2 = minimalEdit(emoji, 'x 😁 y')!;
    expect(e2.text).toBe('😁');
    // A CRLF → LF change replaces whole line endings.
    const e3 = minimalEdit('a\r\nb', 'a\nb')!;
    expect(applyEdit('a\r\nb', e3)).toBe('a\nb');
  });
});

describe('keepsAllCode', () => {
  it('accepts insertions and whitespace changes', () => {
    expect(keepsAllCode('fn a() {}\n', 'use x;\n\nfn a() {}\n\nfn b() {}\n')).toBe(true);
    expect(keepsAllCode('allow!(a, b);', 'allow!(a,\n    b,\n    c,\n);')).toBe(true);
  });
  it('rejects a result that dropped or reordered user code', () => {
    expect(keepsAllCode('fn a() { user_code(); }', 'fn a() { }')).toBe(false);
    expect(keepsAllCode('ab', 'ba')).toBe(false);
  });
});
