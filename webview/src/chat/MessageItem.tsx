import { Show } from 'solid-js';
import type { Answer, Message, ProductSummary } from '../../../src/domain';
import { Markdown } from '../common/Markdown';
import { RoleBadge } from '../common/bits';
import { formatTime } from '../format';
import { QuestionForm } from './QuestionForm';
import { SummaryCard } from './SummaryCard';

export interface MessageActions {
  answer(messageId: string, answers: Answer[]): Promise<boolean>;
  confirmSummary(summary: ProductSummary, edited: boolean): Promise<boolean>;
}

/**
 * One chat message. The user's words are shown as typed (text); agents' words as sanitised
 * markdown. Neither is ever inserted as raw HTML.
 */
export function MessageItem(props: { message: Message; round?: { answers?: Answer[]; closed: boolean }; summaryEditable: boolean; summaryConfirmed: boolean; actions: MessageActions }) {
  const m = () => props.message;
  return (
    <article class={`msg msg-${m().author}`} classList={{ mine: m().author === 'user' }} aria-label={`Message from ${m().author === 'user' ? 'you' : m().author.replace(/_/g, ' ')}`}>
      <header class="msg-head">
        <RoleBadge role={m().author} />
        <time class="muted" datetime={new Date(m().createdAt).toISOString()}>
          {formatTime(m().createdAt)}
        </time>
      </header>
      <Show when={m().content}>
        <Show when={m().author === 'user'} fallback={<Markdown text={m().content} />}>
          <p class="plain">{m().content}</p>
        </Show>
      </Show>
      <Show when={m().questions?.length ? m().questions : undefined}>
        {(questions) => <QuestionForm messageId={m().id} questions={questions()} answered={props.round?.answers ?? m().answers} closed={props.round?.closed ?? false} onSubmit={(answers) => props.actions.answer(m().id, answers)} />}
      </Show>
      <Show when={m().summary}>
        {(summary) => <SummaryCard summary={summary()} confirmed={props.summaryConfirmed} editable={props.summaryEditable} onConfirm={props.actions.confirmSummary} />}
      </Show>
    </article>
  );
}
