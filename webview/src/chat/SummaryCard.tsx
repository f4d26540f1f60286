import { createSignal, For, Index, Show } from 'solid-js';
import { createStore, produce, unwrap } from 'solid-js/store';
import type { ProductSummary } from '../../../src/domain';
import { SummaryInput } from '../../../src/protocol/messages';
import { Badge, FieldError, Icon } from '../common/bits';
import { TextArea, TextField } from '../common/fields';

/** Field names are written for the database (`pickup_date`); people read "pickup date". */
const plainName = (name: string): string => name.replace(/_+/g, ' ').trim() || name;

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** Readable problems with an edited summary; empty when it can be confirmed. */
export function summaryProblems(s: ProductSummary): string[] {
  const out: string[] = [];
  if (!s.appName.trim()) out.push('Give the app a name.');
  s.users.forEach((u, i) => !u.name.trim() && out.push(`User ${i + 1} needs a name.`));
  s.entities.forEach((e, i) => {
    if (!e.name.trim()) out.push(`Thing to keep track of ${i + 1} needs a name.`);
    e.fields.forEach((f, j) => (!f.name.trim() || !f.type.trim()) && out.push(`${e.name || `Thing ${i + 1}`}: detail ${j + 1} needs a name and a type.`));
  });
  if (!out.length) {
    const r = SummaryInput.safeParse(s);
    if (!r.success) out.push(`Something is too long or too many: ${r.error.issues[0]?.path.join(' › ')}.`);
  }
  return out;
}

function normalise(s: ProductSummary): ProductSummary {
  return {
    appName: s.appName.trim(),
    users: s.users.map((u) => ({ name: u.name.trim(), description: u.description.trim() })),
    entities: s.entities.map((e) => ({ name: e.name.trim(), fields: e.fields.map((f) => ({ name: f.name.trim(), type: f.type.trim(), required: f.required })) })),
    features: s.features.map((f) => f.trim()).filter(Boolean),
    constraints: s.constraints.map((c) => c.trim()).filter(Boolean),
  };
}

function SummaryView(props: { summary: ProductSummary }) {
  return (
    <div class="summary-view">
      <h3>{props.summary.appName}</h3>
      <Show when={props.summary.users.length}>
        <h4>Who uses it</h4>
        <ul>
          <For each={props.summary.users}>
            {(u) => (
              <li>
                <strong>{u.name}</strong>
                {u.description ? ` — ${u.description}` : ''}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.summary.entities.length}>
        <h4>What it keeps track of</h4>
        <ul>
          <For each={props.summary.entities}>
            {(e) => (
              <li>
                <strong>{e.name}</strong>: {e.fields.map((f) => `${plainName(f.name)} (${f.type}${f.required ? '' : ', optional'})`).join(', ')}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.summary.features.length}>
        <h4>What it does</h4>
        <ul>
          <For each={props.summary.features}>{(f) => <li>{f}</li>}</For>
        </ul>
      </Show>
      <Show when={props.summary.constraints.length}>
        <h4>Limits and rules</h4>
        <ul>
          <For each={props.summary.constraints}>{(c) => <li>{c}</li>}</For>
        </ul>
      </Show>
    </div>
  );
}

/**
 * The Product Owner's summary: read-only once confirmed; otherwise the user confirms it as is or
 * edits it first (name, users, things with their details, features, constraints).
 */
export function SummaryCard(props: { summary: ProductSummary; confirmed: boolean; editable: boolean; onConfirm(summary: ProductSummary, edited: boolean): Promise<boolean> }) {
  const [editing, setEditing] = createSignal(false);
  const [draft, setDraft] = createStore<ProductSummary>(structuredClone(unwrap(props.summary)));
  const [featuresText, setFeaturesText] = createSignal(props.summary.features.join('\n'));
  const [constraintsText, setConstraintsText] = createSignal(props.summary.constraints.join('\n'));
  const [problems, setProblems] = createSignal<string[]>([]);
  const [sending, setSending] = createSignal(false);

  function startEdit() {
    setDraft(structuredClone(unwrap(props.summary)));
    setFeaturesText(props.summary.features.join('\n'));
    setConstraintsText(props.summary.constraints.join('\n'));
    setProblems([]);
    setEditing(true);
  }

  async function confirm() {
    if (sending()) return;
    const candidate = editing() ? normalise({ ...structuredClone(unwrap(draft)), features: lines(featuresText()), constraints: lines(constraintsText()) }) : structuredClone(unwrap(props.summary));
    const found = summaryProblems(candidate);
    setProblems(found);
    if (found.length) return;
    const edited = JSON.stringify(candidate) !== JSON.stringify(unwrap(props.summary));
    setSending(true);
    const ok = await props.onConfirm(candidate, edited);
    setSending(false);
    if (ok) setEditing(false);
  }

  return (
    <section class="summary" aria-label="Product summary">
      <header class="summary-head">
        <Icon name="note" />
        <span>Summary</span>
        <Show when={props.confirmed}>
          <Badge>Confirmed</Badge>
        </Show>
      </header>
      <Show when={editing()} fallback={<SummaryView summary={props.summary} />}>
        <div class="summary-edit">
          <TextField label="App name" value={draft.appName} maxlength={200} onInput={(v) => setDraft('appName', v)} />

          <h4>Who uses it</h4>
          <Index each={draft.users}>
            {(u, i) => (
              <div class="row">
                <TextField label={`User ${i + 1} name`} hideLabel placeholder="Who" value={u().name} maxlength={200} onInput={(v) => setDraft('users', i, 'name', v)} />
                <TextField label={`User ${i + 1} description`} hideLabel placeholder="What they do" value={u().description} onInput={(v) => setDraft('users', i, 'description', v)} />
                <vscode-button appearance="icon" attr:aria-label={`Remove user ${i + 1}`} title="Remove" onClick={() => setDraft('users', (l) => l.filter((_, j) => j !== i))}>
                  <Icon name="trash" />
                </vscode-button>
              </div>
            )}
          </Index>
          <vscode-button appearance="secondary" onClick={() => setDraft('users', (l) => [...l, { name: '', description: '' }])}>
            <Icon name="add" /> Add user
          </vscode-button>

          <h4>What it keeps track of</h4>
          <Index each={draft.entities}>
            {(ent, i) => (
              <fieldset class="entity">
                <legend class="sr-only">{`Thing ${i + 1}`}</legend>
                <div class="row">
                  <TextField label={`Thing ${i + 1} name`} hideLabel placeholder="e.g. Order" value={ent().name} maxlength={200} onInput={(v) => setDraft('entities', i, 'name', v)} />
                  <vscode-button appearance="icon" attr:aria-label={`Remove ${ent().name || `thing ${i + 1}`}`} title="Remove" onClick={() => setDraft('entities', (l) => l.filter((_, j) => j !== i))}>
                    <Icon name="trash" />
                  </vscode-button>
                </div>
                <Index each={ent().fields}>
                  {(f, j) => (
                    <div class="row field-row">
                      <TextField label={`Thing ${i + 1} detail ${j + 1} name`} hideLabel placeholder="detail" value={f().name} maxlength={200} onInput={(v) => setDraft('entities', i, 'fields', j, 'name', v)} />
                      <TextField label={`Thing ${i + 1} detail ${j + 1} type`} hideLabel placeholder="text, number, date…" value={f().type} maxlength={100} onInput={(v) => setDraft('entities', i, 'fields', j, 'type', v)} />
                      <vscode-checkbox checked={f().required} onChange={(e) => setDraft('entities', i, 'fields', j, 'required', (e.currentTarget as HTMLInputElement).checked)}>
                        Required
                      </vscode-checkbox>
                      <vscode-button appearance="icon" attr:aria-label={`Remove detail ${f().name || j + 1}`} title="Remove" onClick={() => setDraft('entities', i, 'fields', (l) => l.filter((_, k) => k !== j))}>
                        <Icon name="trash" />
                      </vscode-button>
                    </div>
                  )}
                </Index>
                <vscode-button appearance="secondary" onClick={() => setDraft('entities', i, 'fields', (l) => [...l, { name: '', type: 'text', required: false }])}>
                  <Icon name="add" /> Add detail
                </vscode-button>
              </fieldset>
            )}
          </Index>
          <vscode-button appearance="secondary" onClick={() => setDraft(produce((d) => void d.entities.push({ name: '', fields: [{ name: 'name', type: 'text', required: true }] })))}>
            <Icon name="add" /> Add thing to keep track of
          </vscode-button>

          <TextArea label="What it does (one per line)" rows={4} value={featuresText()} onInput={setFeaturesText} />
          <TextArea label="Limits and rules (one per line)" rows={3} value={constraintsText()} onInput={setConstraintsText} />
        </div>
      </Show>
      <Show when={problems().length}>
        <FieldError text={problems().join(' ')} />
      </Show>
      <Show when={props.editable && !props.confirmed}>
        <div class="actions">
          <vscode-button appearance="primary" disabled={sending()} onClick={() => void confirm()}>
            <Icon name="check" /> {editing() ? 'Confirm my changes' : 'Confirm summary'}
          </vscode-button>
          <Show
            when={editing()}
            fallback={
              <vscode-button appearance="secondary" disabled={sending()} onClick={startEdit}>
                <Icon name="edit" /> Edit
              </vscode-button>
            }
          >
            <vscode-button appearance="secondary" disabled={sending()} onClick={() => setEditing(false)}>
              Cancel
            </vscode-button>
          </Show>
        </div>
      </Show>
    </section>
  );
}
