import { describe, expect, it } from 'vitest';
import { DEFAULT_TEAM_SETTINGS, parseTeamSettings } from '../../../src/agents';

// One schema for the team settings (src/settings), used by the core (Team) and the editor (src/host/config.ts).
describe('team settings', () => {
  it('keeps usable values, clamps rounds to 1–10 and falls back to the defaults otherwise', () => {
    expect(parseTeamSettings({})).toEqual(DEFAULT_TEAM_SETTINGS);
    expect(parseTeamSettings({ maxQuestionRounds: 4, autoRun: true })).toEqual({ maxQuestionRounds: 4, autoRun: true });
    expect(parseTeamSettings({ maxQuestionRounds: 0 }).maxQuestionRounds).toBe(1);
    expect(parseTeamSettings({ maxQuestionRounds: 11 }).maxQuestionRounds).toBe(10);
    expect(parseTeamSettings({ maxQuestionRounds: 2.5 }).maxQuestionRounds).toBe(3);
    expect(parseTeamSettings({ maxQuestionRounds: '4' }).maxQuestionRounds).toBe(3);
  });

  it('turns auto-run on only for an explicit true', () => {
    expect(parseTeamSettings({ autoRun: 'true' }).autoRun).toBe(false);
    expect(parseTeamSettings({ autoRun: 1 }).autoRun).toBe(false);
    expect(parseTeamSettings({ autoRun: undefined }).autoRun).toBe(false);
  });
});
