import { statSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { saveRuns } from '../../src/store';
import { capText, MAX_STORED_TEXT } from '../../src/store/runCap';
import { cleanupTempDirs, open, sampleRun, tempDir } from '../unit/store/helpers';

// Issue #14, section 2 (after the call): a 50 MB run made the synchronous save take 7.7–12.5 s.
// What a run stores is capped: head and tail kept around a visible note.

afterAll(cleanupTempDirs);

describe('stored runs are capped', () => {
  it('a 50 MB answer and a 5 MB prompt are stored as head + note + tail, and the database stays small', async () => {
    const file = path.join(tempDir(), 'nocodo.sqlite');
    const { store } = await open(file);
    const raw = `HEAD${'x'.repeat(50_000_000)}TAIL`;
    const prompt = `START${'p'.repeat(5_000_000)}END`;
    const run = sampleRun('huge', { raw, messages: [{ role: 'user', content: prompt }] });
    saveRuns(store, [run]);
    const stored = store.runs.get('huge')!;
    expect(stored.raw.length).toBeLessThanOrEqual(MAX_STORED_TEXT);
    expect(stored.raw.startsWith('HEADxxx')).toBe(true);
    expect(stored.raw.endsWith('xxxTAIL')).toBe(true);
    expect(stored.raw).toContain(`[… nocodo stored 199800 of ${raw.length} characters: ${raw.length - 199_800} cut from the middle …]`);
    expect(stored.messages[0]!.content.startsWith('STARTppp')).toBe(true);
    expect(stored.messages[0]!.content.endsWith('pppEND')).toBe(true);
    expect(stored.diagnostics).toEqual([
      { severity: 'info', code: 'stored-capped', message: `Stored with the middle cut (head and tail kept): message 1 (user) (${prompt.length} characters), answer (${raw.length} characters).` },
    ]);
    // The mode reports the same run again with what it found: still one note, still capped.
    saveRuns(store, [{ ...run, extracted: 'pub fn x() {}' }]);
    expect(store.runs.get('huge')!.diagnostics.filter((d) => d.code === 'stored-capped')).toHaveLength(1);
    await store.flush();
    expect(statSync(file).size).toBeLessThan(2_000_000);
    await store.close();
  }, 120_000);

  it('a capped text is never capped again, and short texts are kept as they are', () => {
    const once = capText('y'.repeat(1_000_000));
    expect(capText(once)).toBe(once);
    expect(capText('short')).toBe('short');
  });
});
