import type { Answer, Comment, Epic, Message, ProductSummary, Proposal, Question, RunRecord, Session, Task, TaskEvent } from '../domain';
import { ROLE_LABELS, STATE_LABELS, TASK_STATES } from '../domain';
import { StoreNotFoundError } from './errors';
import type { NocodoStore } from './types';

export type ExportFormat = 'json' | 'markdown';
export interface ExportOptions {
  /** Export time (tests); default now. */
  now?: number;
}

/** Bumped when the JSON export's shape changes, so importers can tell. */
const EXPORT_VERSION = 1;

type TaskExport = Task & { events: TaskEvent[]; comments: Comment[] };
type EpicExport = Epic & { tasks: TaskExport[] };

function boardOf(store: NocodoStore, sessionId: string): EpicExport[] {
  const tasks = store.tasks.list({ sessionId });
  return store.epics.list(sessionId).map((epic) => ({
    ...epic,
    tasks: tasks.filter((t) => t.epicId === epic.id).map((t) => ({ ...t, events: store.events.list(t.id), comments: store.comments.list(t.id) })),
  }));
}

function runsOf(store: NocodoStore, sessionId: string, epics: EpicExport[]): RunRecord[] {
  const byId = new Map<string, RunRecord>();
  for (const r of store.runs.list({ sessionId })) byId.set(r.id, r);
  for (const e of epics) for (const t of e.tasks) for (const r of store.runs.list({ taskId: t.id })) byId.set(r.id, r);
  return [...byId.values()].sort((a, b) => a.timings.startedAt - b.timings.startedAt);
}

function proposalsOf(store: NocodoStore, epics: EpicExport[], runs: RunRecord[]): Proposal[] {
  const taskIds = new Set(epics.flatMap((e) => e.tasks.map((t) => t.id)));
  const runIds = new Set(runs.map((r) => r.id));
  return store.proposals.list().filter((p) => (p.taskId !== undefined && taskIds.has(p.taskId)) || (p.runId !== undefined && runIds.has(p.runId)));
}

/** One session (conversation, summary, board with history and comments, runs, proposals) as JSON or Markdown. */
export function exportSession(store: NocodoStore, sessionId: string, format: ExportFormat, opts: ExportOptions = {}): string {
  const session = store.sessions.get(sessionId);
  if (!session) throw new StoreNotFoundError('sessions', sessionId);
  const exportedAt = opts.now ?? Date.now();
  const messages = store.messages.list(sessionId);
  const epics = boardOf(store, sessionId);
  const runs = runsOf(store, sessionId, epics);
  const proposals = proposalsOf(store, epics, runs);
  if (format === 'json') {
    return JSON.stringify({ kind: 'nocodo-session', version: EXPORT_VERSION, exportedAt: iso(exportedAt), session, messages, epics, runs, proposals }, null, 2);
  }
  return sessionMarkdown(session, messages, epics, runs, proposals, exportedAt);
}

/** Every session's board (epics, tasks with history and comments) as JSON or Markdown. */
export function exportBoard(store: NocodoStore, format: ExportFormat, opts: ExportOptions = {}): string {
  const exportedAt = opts.now ?? Date.now();
  const sessions = store.sessions.list().map((session) => ({ session, epics: boardOf(store, session.id) }));
  if (format === 'json') {
    return JSON.stringify({ kind: 'nocodo-board', version: EXPORT_VERSION, exportedAt: iso(exportedAt), sessions }, null, 2);
  }
  const out: string[] = [`# nocodo board`, '', `_Exported ${when(exportedAt)}._`];
  if (sessions.length === 0) out.push('', 'No sessions yet.');
  for (const { session, epics } of sessions) {
    out.push('', `## ${inline(session.title)}`, '');
    const tasks = epics.flatMap((e) => e.tasks.map((t) => ({ t, epic: e })));
    if (tasks.length === 0) {
      out.push('No tasks yet.');
      continue;
    }
    out.push(TASK_STATES.map((s) => `${STATE_LABELS[s]}: ${tasks.filter((x) => x.t.state === s).length}`).join(' · '));
    for (const state of TASK_STATES) {
      const here = tasks.filter((x) => x.t.state === state);
      if (here.length === 0) continue;
      out.push('', `### ${STATE_LABELS[state]} (${here.length})`, '');
      for (const { t, epic } of here) {
        const facts = [inline(epic.title), ROLE_LABELS[t.role], t.mode ? `\`${t.mode}\`` : undefined].filter(Boolean).join(' · ');
        out.push(`- **${inline(t.title)}** — ${facts}${t.blockedReason ? ` — blocked: ${inline(t.blockedReason)}` : ''}`);
      }
    }
  }
  return out.join('\n') + '\n';
}

// ---- Markdown -------------------------------------------------------------------------------

function sessionMarkdown(session: Session, messages: Message[], epics: EpicExport[], runs: RunRecord[], proposals: Proposal[], exportedAt: number): string {
  const out: string[] = [`# ${inline(session.title)}`, '', `_Exported from nocodo ${when(exportedAt)}. Phase: ${session.phase}. Started ${when(session.createdAt)}._`];
  if (session.summary) out.push('', ...summaryMarkdown(session.summary, session.summaryConfirmed));

  out.push('', '## Conversation');
  if (messages.length === 0) out.push('', 'No messages yet.');
  const questions = new Map<string, Question>();
  for (const m of messages) for (const q of m.questions ?? []) questions.set(q.id, q);
  for (const m of messages) {
    out.push('', `### ${ROLE_LABELS[m.author]} · ${when(m.createdAt)}`);
    if (m.content.trim()) out.push('', m.content.trim());
    if (m.questions?.length) out.push('', ...m.questions.flatMap((q, i) => questionMarkdown(q, i + 1)));
    if (m.answers?.length) out.push('', '**Answers**', '', ...m.answers.map((a) => answerMarkdown(a, questions.get(a.questionId))));
    if (m.summary) out.push('', ...summaryMarkdown(m.summary, undefined, '####'));
  }

  out.push('', '## Board');
  if (epics.length === 0) out.push('', 'No epics yet.');
  const titles = new Map(epics.flatMap((e) => e.tasks.map((t) => [t.id, t.title] as const)));
  for (const e of epics) {
    out.push('', `### Epic: ${inline(e.title)}`);
    if (e.description.trim()) out.push('', e.description.trim());
    for (const t of e.tasks) out.push('', ...taskMarkdown(t, titles));
  }

  if (runs.length) {
    out.push('', '## Model runs', '', '| Started | Role | Mode | Model | Outcome | Time |', '| --- | --- | --- | --- | --- | --- |');
    for (const r of runs) {
      out.push(`| ${when(r.timings.startedAt)} | ${r.role} | ${cell(r.mode ?? '')} | ${cell(r.model)} | ${r.outcome}${r.rejection ? ' (rejected)' : ''} | ${(r.timings.totalMs / 1000).toFixed(1)} s |`);
    }
  }
  if (proposals.length) {
    out.push('', '## Proposed changes', '', '| Created | Status | Files | Summary |', '| --- | --- | --- | --- |');
    for (const p of proposals) {
      const status = p.status + (p.rejectionReason ? `: ${p.rejectionReason}` : '');
      out.push(`| ${when(p.createdAt)} | ${cell(status)} | ${cell(p.changeSet.files.map((f) => f.path).join(', '))} | ${cell(p.changeSet.summary)} |`);
    }
  }
  return out.join('\n') + '\n';
}

function summaryMarkdown(s: ProductSummary, confirmed: boolean | undefined, h = '##'): string[] {
  const out = [`${h} Product summary: ${inline(s.appName)}`];
  if (confirmed !== undefined) out.push('', confirmed ? '_Confirmed by you._' : '_Not confirmed yet._');
  if (s.users.length) out.push('', `**Users**`, '', ...s.users.map((u) => `- **${inline(u.name)}**${u.description ? ` — ${inline(u.description)}` : ''}`));
  for (const e of s.entities) {
    out.push('', `**${inline(e.name)}**`, '', '| Field | Type | Required |', '| --- | --- | --- |', ...e.fields.map((f) => `| ${cell(f.name)} | ${cell(f.type)} | ${f.required ? 'yes' : 'no'} |`));
  }
  if (s.features.length) out.push('', '**Features**', '', ...s.features.map((f) => `- ${inline(f)}`));
  if (s.constraints.length) out.push('', '**Constraints**', '', ...s.constraints.map((c) => `- ${inline(c)}`));
  return out;
}

function questionMarkdown(q: Question, n: number): string[] {
  return [
    `${n}. ${inline(q.text)} _(${q.kind === 'single' ? 'choose one' : 'choose any'})_`,
    ...q.options.map((o) => `   - ${inline(o.label)}${o.recommended ? ' _(recommended)_' : ''}`),
    ...(q.allowOther ? ['   - Other…'] : []),
  ];
}

function answerMarkdown(a: Answer, q: Question | undefined): string {
  const labels = a.selected.map((id) => q?.options.find((o) => o.id === id)?.label ?? id);
  if (a.other?.trim()) labels.push(`Other: ${a.other.trim()}`);
  return `- ${inline(q?.text ?? a.questionId)} → ${labels.length ? labels.map(inline).join(', ') : '_(no answer)_'}`;
}

function taskMarkdown(t: TaskExport, titles: Map<string, string>): string[] {
  const out = [`#### ${inline(t.title)} — ${STATE_LABELS[t.state]}`, ''];
  const target = t.target ? [t.target.table && `table ${t.target.table}`, t.target.struct && t.target.function ? `${t.target.struct}::${t.target.function}` : t.target.struct ?? t.target.function, t.target.file && `in ${t.target.file}`].filter(Boolean).join(' ') : '';
  out.push(`- Role: ${ROLE_LABELS[t.role]}${t.mode ? ` · Mode: \`${t.mode}\`` : ''}${target ? ` · Target: ${inline(target)}` : ''}`);
  if (t.dependsOn.length) out.push(`- Depends on: ${t.dependsOn.map((id) => inline(titles.get(id) ?? id)).join(', ')}`);
  if (t.blockedReason) out.push(`- Blocked: ${inline(t.blockedReason)}`);
  if (t.description.trim()) out.push('', t.description.trim());
  if (t.acceptanceCriteria.length) out.push('', '**Acceptance criteria**', '', ...t.acceptanceCriteria.map((c) => `- [${t.state === 'done' ? 'x' : ' '}] ${inline(c)}`));
  if (t.request?.trim()) out.push('', '**Request**', '', t.request.trim());
  if (t.technicalNotes?.trim()) out.push('', '**Technical notes**', '', t.technicalNotes.trim());
  if (t.dataContract?.trim()) out.push('', '**Data contract**', '', t.dataContract.trim());
  if (t.events.length) {
    out.push('', '**History**', '', ...t.events.map((e) => `- ${when(e.at)}: ${STATE_LABELS[e.from]} → ${STATE_LABELS[e.to]} by ${ROLE_LABELS[e.by]}${e.why ? ` — ${inline(e.why)}` : ''}`));
  }
  if (t.comments.length) out.push('', '**Comments**', '', ...t.comments.map((c) => `- **${ROLE_LABELS[c.author]}** (${when(c.createdAt)}): ${inline(c.body)}`));
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** UTC, minute precision: stable across machines' time zones. */
const when = (ms: number) => `${iso(ms).slice(0, 16).replace('T', ' ')} UTC`;
/** One line of text inside Markdown: no line breaks, no accidental emphasis/links/HTML. */
const inline = (s: string) => s.replace(/\s*\n\s*/g, ' ').replace(/([\\`*_[\]<>#|])/g, '\\$1');
const cell = (s: string) => inline(s);
