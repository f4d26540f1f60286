// Realistic protocol payloads for the protocol unit tests, the jsdom view tests and the browser test.
import type { Message, Proposal, RunRecord, Session, Task } from '../../src/domain';
import { toBoardTasks, toProposalSummary, toRunSummary } from '../../src/protocol/board';
import type { HostMessage, StateSnapshot } from '../../src/protocol/messages';

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

export const session: Session = {
  id: 'ses_1',
  title: 'Bakery orders',
  phase: 'discovery',
  rounds: 1,
  summaryConfirmed: false,
  createdAt: T0,
  updatedAt: T0,
};

export const questionMessage: Message = {
  id: 'msg_q1',
  sessionId: 'ses_1',
  author: 'product_owner',
  content: 'A few questions so I get it right:',
  questions: [
    {
      id: 'q_users',
      kind: 'single',
      text: 'Who will use the app?',
      options: [
        { id: 'staff', label: 'Only shop staff', recommended: true },
        { id: 'customers', label: 'Staff and customers' },
      ],
      allowOther: true,
    },
    {
      id: 'q_data',
      kind: 'multiple',
      text: 'What should it keep track of?',
      options: [
        { id: 'orders', label: 'Orders' },
        { id: 'stock', label: 'Stock' },
        { id: 'suppliers', label: 'Suppliers' },
      ],
      allowOther: true,
    },
  ],
  createdAt: T0 + 2_000,
};

export const messages: Message[] = [
  { id: 'msg_u1', sessionId: 'ses_1', author: 'user', content: 'I run a bakery and need to track custom cake orders.', createdAt: T0 + 1_000 },
  questionMessage,
];

export const summaryMessage: Message = {
  id: 'msg_s1',
  sessionId: 'ses_1',
  author: 'product_owner',
  content: 'Here is what I understood. Check it, change anything that is wrong, then confirm.',
  summary: {
    appName: 'Cake Orders',
    users: [{ name: 'Shop staff', description: 'Take and fulfil orders' }],
    entities: [
      {
        name: 'Order',
        fields: [
          { name: 'customer_name', type: 'text', required: true },
          { name: 'pickup_date', type: 'date', required: true },
        ],
      },
    ],
    features: ['List orders by pickup date'],
    constraints: ['Runs on one shop PC'],
  },
  createdAt: T0 + 9_000,
};

function task(id: string, state: Task['state'], extra: Partial<Task> = {}): Task {
  return {
    id,
    epicId: 'epic_1',
    title: `Task ${id}`,
    description: `Description of ${id}`,
    acceptanceCriteria: [`${id} works`],
    role: 'backend',
    state,
    dependsOn: [],
    createdAt: T0,
    updatedAt: T0,
    ...extra,
  };
}

export const tasks: Task[] = [
  task('t_draft', 'draft', { title: 'Decide order statuses', role: 'ui_designer' }),
  task('t_shape', 'needs_technical_shaping', { title: 'Orders screen', role: 'frontend' }),
  task('t_table', 'done', { title: 'orders table', role: 'db', mode: 'diesel-schema' }),
  task('t_ready', 'ready', {
    title: 'Insert an order',
    mode: 'diesel-model-fn',
    dependsOn: ['t_table'],
    technicalNotes: 'Order::create(conn, NewOrder) -> QueryResult<Order>',
    acceptanceCriteria: ['Returns the stored order', 'Rejects an empty customer name'],
  }),
  task('t_wait', 'ready', { title: 'List orders', mode: 'diesel-model-fn', dependsOn: ['t_prog'] }),
  task('t_nomode', 'ready', { title: 'Print labels', role: 'frontend' }),
  task('t_prog', 'in_progress', { title: 'Order handler', mode: 'actix-handler' }),
  task('t_block', 'blocked', { title: 'Email customers', blockedReason: 'No mail server yet' }),
];

export const run: RunRecord = {
  id: 'run_1',
  role: 'rustEngineer',
  mode: 'diesel-model-fn',
  taskId: 't_ready',
  baseUrl: 'http://localhost:8080/v1',
  model: 'unsloth/Qwen3.5-0.8B-GGUF',
  params: { temperature: 0.1, maxTokens: 1024 },
  messages: [
    { role: 'system', content: 'You write one Diesel function.' },
    { role: 'user', content: 'Write Order::create.' },
  ],
  raw: '```rust\npub fn create(conn: &mut PgConnection) {}\n```',
  reasoning: 'The table is orders.',
  extracted: 'pub fn create(conn: &mut PgConnection) {}',
  diagnostics: [{ severity: 'error', message: 'unknown column `nme`', line: 3 }],
  usage: { promptTokens: 812, completionTokens: 64 },
  timings: { startedAt: T0 + 20_000, firstTokenMs: 1_250, totalMs: 4_000, tokensPerSecond: 23.5 },
  outcome: 'ok',
};

export const proposal: Proposal = {
  id: 'prop_1',
  runId: 'run_1',
  taskId: 't_ready',
  root: '/home/me/bakery',
  changeSet: {
    mode: 'diesel-model-fn',
    summary: 'Add Order::create',
    files: [{ path: 'src/models/order.rs', original: 'struct Order;\n', proposed: 'struct Order;\nimpl Order {}\n', ops: [] }],
  },
  status: 'pending',
  createdAt: T0 + 25_000,
};

export function snapshot(over: Partial<StateSnapshot> = {}): StateSnapshot {
  return {
    session,
    messages,
    hasMoreMessages: false,
    board: { epics: [{ id: 'epic_1', sessionId: 'ses_1', title: 'Cake orders', description: 'Take and track orders', createdAt: T0 }], tasks: toBoardTasks(tasks) },
    runs: [toRunSummary(run, 'prop_1')],
    proposals: [toProposalSummary(proposal)],
    busy: [],
    ...over,
  };
}

export function stateMessage(over: Partial<StateSnapshot> = {}): HostMessage {
  return { type: 'state', state: snapshot(over) };
}
