import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { Answer, Question } from '../../../src/domain';
import { LIMITS } from '../../../src/protocol/limits';
import { FieldError, Icon } from '../common/bits';
import { TextField } from '../common/fields';

export interface Choice {
  selected: string[];
  /** "Other…" is ticked. */
  otherOn: boolean;
  other: string;
}

/**
 * Turns widget state into Answer objects: selected ids in option order, "other" text trimmed and
 * only when ticked. Returns the questions still unanswered, by text, when any are.
 */
export function buildAnswers(questions: readonly Question[], choices: Readonly<Record<string, Choice>>): { answers: Answer[]; missing: string[] } {
  const answers: Answer[] = [];
  const missing: string[] = [];
  for (const q of questions) {
    const c = choices[q.id] ?? { selected: [], otherOn: false, other: '' };
    const other = q.allowOther && c.otherOn ? c.other.trim() : '';
    let selected = q.options.filter((o) => c.selected.includes(o.id)).map((o) => o.id);
    if (q.kind === 'single') selected = c.otherOn && q.allowOther ? [] : selected.slice(0, 1);
    if (!selected.length && !other) missing.push(q.text);
    answers.push({ questionId: q.id, selected, ...(other ? { other } : {}) });
  }
  return { answers, missing };
}

function initialChoices(questions: readonly Question[], answers: readonly Answer[] | undefined): Record<string, Choice> {
  const out: Record<string, Choice> = {};
  for (const q of questions) {
    const a = answers?.find((x) => x.questionId === q.id);
    out[q.id] = { selected: a ? [...a.selected] : [], otherOn: !!a?.other, other: a?.other ?? '' };
  }
  return out;
}

const isChecked = (e: Event) => (e.currentTarget as HTMLInputElement).checked;
/** The radio/checkbox value of "Other…"; option ids come from the model but cannot contain spaces. */
const OTHER = 'other option';

/**
 * The Product Owner's clarifying questions: radios for single choice, checkboxes for multiple, and
 * "Other…" with a text field where allowed. Locks once the answers are sent (or were sent before).
 */
export function QuestionForm(props: { messageId: string; questions: Question[]; answered?: Answer[]; closed?: boolean; onSubmit(answers: Answer[]): Promise<boolean> }) {
  const [choices, setChoices] = createStore(initialChoices(props.questions, props.answered));
  const [sending, setSending] = createSignal(false);
  const [sent, setSent] = createSignal(!!props.answered?.length);
  const [error, setError] = createSignal<string>();
  const done = () => sent() || !!props.answered?.length || !!props.closed;
  const locked = () => done() || sending();
  // Answers recorded by the host (this window or another) are the truth: show them, locked.
  createEffect(
    on(
      () => props.answered,
      (answered) => {
        if (answered?.length) setChoices(initialChoices(props.questions, answered));
      },
      { defer: true },
    ),
  );

  const pickSingle = (qid: string, id: string) => setChoices(qid, { selected: [id], otherOn: false });
  const pickOtherSingle = (qid: string) => setChoices(qid, { selected: [], otherOn: true });
  const toggle = (qid: string, id: string, on: boolean) =>
    setChoices(qid, 'selected', (s) => (on ? (s.includes(id) ? s : [...s, id]) : s.filter((x) => x !== id)));

  // FAST radios and checkboxes react to Space; Enter is handled here so both keys choose an option.
  const onEnter = (fn: () => void) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !locked()) {
      e.preventDefault();
      fn();
    }
  };

  async function submit(e?: Event) {
    e?.preventDefault();
    if (locked()) return;
    const { answers, missing } = buildAnswers(props.questions, choices);
    if (missing.length) {
      setError(`Please answer: ${missing.join(' · ')}`);
      return;
    }
    setError(undefined);
    setSending(true);
    const ok = await props.onSubmit(answers);
    setSending(false);
    setSent(ok);
    if (!ok) setError('Your answers were not delivered. Try again.');
  }

  return (
    <form class="questions" classList={{ locked: locked() }} onSubmit={submit} aria-label="Questions from the Product Owner">
      <For each={props.questions}>
        {(q, qi) => {
          const legendId = `${props.messageId}-q${qi()}`;
          const c = () => choices[q.id]!;
          return (
            <fieldset class="question" aria-labelledby={legendId}>
              <legend id={legendId}>
                {q.text}
                <span class="hint">{q.kind === 'single' ? ' (pick one)' : ' (pick any)'}</span>
              </legend>
              <Show
                when={q.kind === 'single'}
                fallback={
                  <div class="options" role="group" aria-labelledby={legendId}>
                    <For each={q.options}>
                      {(o) => (
                        <vscode-checkbox
                          value={o.id}
                          checked={c().selected.includes(o.id)}
                          disabled={locked()}
                          onChange={(e) => !locked() && toggle(q.id, o.id, isChecked(e))}
                          onKeyDown={onEnter(() => toggle(q.id, o.id, !c().selected.includes(o.id)))}
                        >
                          {o.label}
                          {o.recommended ? ' (recommended)' : ''}
                        </vscode-checkbox>
                      )}
                    </For>
                    <Show when={q.allowOther}>
                      <vscode-checkbox
                        value={OTHER}
                        checked={c().otherOn}
                        disabled={locked()}
                        onChange={(e) => !locked() && setChoices(q.id, 'otherOn', isChecked(e))}
                        onKeyDown={onEnter(() => setChoices(q.id, 'otherOn', !c().otherOn))}
                      >
                        Other…
                      </vscode-checkbox>
                    </Show>
                  </div>
                }
              >
                {/* FAST radio groups are controlled by their value, not by the radios' `checked`. */}
                <vscode-radio-group
                  orientation="vertical"
                  attr:aria-labelledby={legendId}
                  value={c().otherOn ? OTHER : (c().selected[0] ?? '')}
                  disabled={locked()}
                  onChange={(e) => {
                    const v = (e.currentTarget as HTMLInputElement).value;
                    if (locked() || !v) return;
                    if (v === OTHER) pickOtherSingle(q.id);
                    else if (q.options.some((o) => o.id === v)) pickSingle(q.id, v);
                  }}
                >
                  <For each={q.options}>
                    {(o) => (
                      <vscode-radio
                        value={o.id}
                        disabled={locked()}
                        onKeyDown={onEnter(() => pickSingle(q.id, o.id))}
                      >
                        {o.label}
                        {o.recommended ? ' (recommended)' : ''}
                      </vscode-radio>
                    )}
                  </For>
                  <Show when={q.allowOther}>
                    <vscode-radio
                      value={OTHER}
                      disabled={locked()}
                      onKeyDown={onEnter(() => pickOtherSingle(q.id))}
                    >
                      Other…
                    </vscode-radio>
                  </Show>
                </vscode-radio-group>
              </Show>
              <Show when={q.allowOther && c().otherOn}>
                <TextField
                  class="other"
                  label={`Your own answer to: ${q.text}`}
                  hideLabel
                  placeholder="Your own answer"
                  maxlength={LIMITS.other}
                  value={c().other}
                  disabled={locked()}
                  onInput={(v) => setChoices(q.id, 'other', v.slice(0, LIMITS.other))}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') void submit(e);
                  }}
                />
              </Show>
            </fieldset>
          );
        }}
      </For>
      <FieldError text={error()} />
      <div class="actions">
        <Show
          when={!done()}
          fallback={
            <Show
              when={sent() || props.answered?.length}
              fallback={
                <p class="muted">
                  <Icon name="lock" /> Closed: the conversation moved on without answers to these.
                </p>
              }
            >
              <p class="muted">
                <Icon name="check" /> Answers sent
              </p>
            </Show>
          }
        >
          <vscode-button appearance="primary" disabled={sending()} onClick={() => void submit()}>
            {sending() ? 'Sending…' : 'Send answers'}
          </vscode-button>
        </Show>
      </div>
    </form>
  );
}
