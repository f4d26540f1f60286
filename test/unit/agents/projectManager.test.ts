import { describe, expect, it } from 'vitest';
import { mapRole, normalisePlan, PlanSchema, resolveDependencies } from '../../../src/agents/projectManager';
import { projectManagerPlan } from '../../../prompts/team';

describe('mapRole', () => {
  it('maps what models write onto the four roles', () => {
    expect(mapRole('db')).toBe('db');
    expect(mapRole('Database')).toBe('db');
    expect(mapRole('database engineer')).toBe('db');
    expect(mapRole('designer')).toBe('ui_designer');
    expect(mapRole('UI/UX')).toBe('ui_designer');
    expect(mapRole('ui-designer')).toBe('ui_designer');
    expect(mapRole('Frontend Developer')).toBe('frontend');
    expect(mapRole('front-end')).toBe('frontend');
    expect(mapRole('Backend')).toBe('backend');
    expect(mapRole('API')).toBe('backend');
    expect(mapRole('rust developer')).toBe('backend');
    expect(mapRole('marketing')).toBeUndefined();
  });
});

describe('resolveDependencies', () => {
  const t = (title: string, ...refs: (number | string)[]) => ({ title, refs });

  it('reads 1-based numbers, "#n", "task n" and titles', () => {
    const r = resolveDependencies([t('Orders table'), t('Order record', 1), t('List orders', '#2', 'orders table'), t('Screen', 'task 3', 'List Orders')]);
    expect(r.deps).toEqual([[], [0], [1, 0], [2]]);
    expect(r.notes.flat()).toEqual([]);
  });

  it('reads 0-based numbering when a 0 appears', () => {
    expect(resolveDependencies([t('A'), t('B', 0), t('C', 1)]).deps).toEqual([[], [0], [1]]);
  });

  it('drops unknown, self and cycle-closing dependencies with a note each', () => {
    const r = resolveDependencies([t('A', 2), t('B', 1), t('C', 3, 9, 'Nothing like it')]);
    expect(r.deps).toEqual([[1], [], []]);
    expect(r.notes[1]).toEqual(['The dependency on "A" was dropped: it would make the two tasks wait for each other.']);
    expect(r.notes[2]).toEqual([
      'The dependency on task 3 was dropped: a task cannot wait for itself.',
      'The dependency on task 9 was dropped: there is no such task in the plan.',
      'The dependency on "Nothing like it" was dropped: there is no such task in the plan.',
    ]);
  });
});

describe('normalisePlan', () => {
  it('maps roles with a note, de-duplicates tasks and keeps numbers pointing at the right task', () => {
    const { plan, problems } = normalisePlan({
      epic: 'Bakery',
      goal: 'Orders',
      tasks: [
        { title: 'Orders table', role: 'database', dependsOn: [] },
        { title: 'orders table', role: 'db', dependsOn: [] },
        { title: 'List orders', role: 'backend', acceptance: ['1. returns orders', 'returns orders'], dependsOn: [1] },
        { title: 'Screen', role: 'front end', dependsOn: [3, 3] },
      ],
    });
    expect(problems).toEqual([]);
    expect(plan.tasks.map((x) => [x.title, x.role, x.dependsOn])).toEqual([
      ['Orders table', 'db', []],
      ['List orders', 'backend', [0]],
      ['Screen', 'frontend', [1]],
    ]);
    expect(plan.tasks[0]!.notes).toEqual(['The role "database" was read as "db".']);
    expect(plan.tasks[1]!.acceptanceCriteria).toEqual(['returns orders']);
    expect(plan.tasks[1]!.description).toBe('List orders');
  });

  it('an unknown role or an empty plan is a problem for the re-ask', () => {
    const r = PlanSchema.safeParse({ epic: 'X', tasks: [{ title: 'Ads', role: 'marketing' }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ['tasks', 0, 'role'], message: expect.stringContaining('"marketing" is not a role') });
    expect(PlanSchema.safeParse({ epic: 'X', tasks: [] }).success).toBe(false);
  });

  it('the prompt example is a valid plan', () => {
    for (const ex of projectManagerPlan.examples) expect(PlanSchema.safeParse(ex.output).success).toBe(true);
  });
});
