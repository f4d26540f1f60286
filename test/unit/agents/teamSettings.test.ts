import { describe, expect, it } from 'vitest';
import { DEFAULT_TEAM_SETTINGS, TeamSettingsSchema } from '../../../src/agents';

// One schema for the team settings, used by the core (Team) and the editor (src/host/config.ts).
describe('team settings', () => {
  it('keeps usable values, clamps rounds to 1–10 and falls back to the defaults otherwise', () => {
    expect(TeamSettingsSchema.parse({})).toEqual(DEFAULT_TEAM_SETTINGS);
    expect(TeamSettingsSchema.parse({ maxQuestionRounds: 4, autoRun: true })).toEqual({ maxQuestionRounds: 4, autoRun: true });
    expect(TeamSettingsSchema.parse({ maxQuestionRounds: 0 }).maxQuestionRounds).toBe(1);
    expect(TeamSettingsSchema.parse({ maxQuestionRounds: 11 }).maxQuestionRounds).toBe(10);
    expect(TeamSettingsSchema.parse({ maxQuestionRounds: 2.5 }).maxQuestionRounds).toBe(3);
    expect(TeamSettingsSchema.parse({ maxQuestionRounds: '4' }).maxQuestionRounds).toBe(3);
  });

  it('turns auto-run on only for an explicit true', () => {
    expect(TeamSettingsSchema.parse({ autoRun: 'true' }).autoRun).toBe(false);
    expect(TeamSettingsSchema.parse({ autoRun: 1 }).autoRun).toBe(false);
    expect(TeamSettingsSchema.parse({ autoRun: undefined }).autoRun).toBe(false);
  });
});
