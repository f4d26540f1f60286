import { answerRecommended, EM, PM, PO, rule, SUMMARY as SUMMARY_SYS, j, type Rig } from './rig';

// The scripted team conversation the flow tests replay through the fixture model server.

export const FIRST_MESSAGE = 'I run a small bakery. My staff need to see the open cake orders for each pickup date.';

export const TURN_1 = {
  reflection: 'You want your staff to see the open cake orders for each pickup date.',
  questions: [
    { text: 'Who will use the app?', kind: 'single', options: ['Bakery staff', 'Customers and staff'], recommended: 0 },
    { text: 'What should the order list show?', kind: 'multiple', options: ['Pickup date', 'Status', 'Customer name', 'Note'], recommended: 0 },
  ],
  done: false,
};

export const TURN_2 = { reflection: 'Staff see open orders with their status and note, per pickup date.', questions: [], done: true };

export const SUMMARY = {
  appName: 'Bakery Orders',
  users: ['Staff: see and update the orders'],
  entities: [
    { name: 'Customer', fields: ['name: text', 'phone: text?'] },
    { name: 'Order', fields: ['status: text', 'pickup_date: date', 'note: text?'] },
  ],
  features: ['Staff see the open orders for a pickup date'],
  constraints: ['Only staff use the app'],
};

export const PLAN = {
  epic: 'Bakery Orders',
  goal: 'Staff see the open orders for each pickup date.',
  tasks: [
    { title: 'Customer record', description: 'A record type for the customers table.', acceptance: ['Every column of customers is a field'], role: 'db', dependsOn: [] },
    { title: 'Open orders for a pickup date', description: 'All orders of one pickup date that are still open.', acceptance: ['Only open orders of that date'], role: 'backend', dependsOn: [] },
    { title: 'Orders screen', description: 'Staff pick a date and see its open orders.', acceptance: ['Choosing a date shows its orders'], role: 'frontend', dependsOn: [2] },
  ],
};

export const SHAPE_STRUCT = {
  mode: 'diesel-model-struct',
  table: 'customers',
  struct: 'Customer',
  function: '',
  request: 'A Queryable struct for every column of customers.',
  notes: 'phone is nullable: Option<String>.',
  contract: '',
};

export const SHAPE_FN = {
  mode: 'diesel-model-fn',
  table: 'orders',
  struct: 'Order',
  function: 'open_for_date',
  request: 'Return the orders whose pickup_date equals the given date and whose status is "open", ordered by id.',
  notes: 'Takes conn: &mut PgConnection and date: NaiveDate; returns QueryResult<Vec<Order>>.',
  contract: 'GET /orders/open?date=YYYY-MM-DD returns [{id: number, status: string, pickup_date: string, note: string | null}]',
};

export const SHAPE_SCREEN = {
  mode: 'none',
  table: '',
  struct: '',
  function: '',
  request: 'A SolidJS page with a date picker and the open orders of that date.',
  notes: 'Fetch when the date changes.',
  contract: '',
};

/** What the Rust engineer writes for SHAPE_FN. */
export const OPEN_FOR_DATE_FN = `pub fn open_for_date(conn: &mut PgConnection, date: NaiveDate) -> QueryResult<Vec<Order>> {
    orders::table
        .filter(orders::pickup_date.eq(date))
        .filter(orders::status.eq("open"))
        .order(orders::id)
        .select(Order::as_select())
        .load(conn)
}`;

/** Every agent answers once, cleanly (the Engineering Manager once per task). */
export function happyScript() {
  return [
    rule(PO, j(TURN_1)),
    rule(PO, j(TURN_2)),
    rule(SUMMARY_SYS, j(SUMMARY)),
    rule(PM, j(PLAN)),
    rule(EM, j(SHAPE_STRUCT), { lastUser: 'Task: Customer record' }),
    rule(EM, j(SHAPE_FN), { lastUser: 'Task: Open orders for a pickup date' }),
    rule(EM, j(SHAPE_SCREEN), { lastUser: 'Task: Orders screen' }),
  ];
}

/**
 * A session through shaping, the specialist scripted to answer with `answers` in turn (the
 * one re-ask takes the second); returns the diesel-model-fn task, ready to run.
 */
export async function shapedFnTask(rig: Rig, answers: readonly string[] = [OPEN_FOR_DATE_FN], beforeSession?: () => void) {
  rig.server.setScript([...happyScript(), ...answers.map((code) => ({ match: { system: 'Diesel' }, times: 1, reply: { content: '```rust\n' + code + '\n```' } }))]);
  beforeSession?.();
  await rig.team.startSession(FIRST_MESSAGE);
  await answerRecommended(rig);
  rig.team.confirmSummary();
  await rig.team.plan();
  await rig.team.shapeAll();
  return rig.team.tasks().find((t) => t.mode === 'diesel-model-fn')!;
}

/** An answer nocodo's checks refuse (a column the table does not have), first and after the re-ask. */
export const UNKNOWN_COLUMN_FN = OPEN_FOR_DATE_FN.replace('orders::status.eq("open")', 'orders::colour.eq("open")');

/**
 * The happy conversation, but the plan makes the customer record wait for the order function, so
 * a ready task with a coding mode depends on the one whose run fails. The Rust engineer answers
 * with `answers` in turn (a failed run takes two: the answer and the re-ask).
 */
export function chainedScript(answers: readonly string[]) {
  const plan = { ...PLAN, tasks: PLAN.tasks.map((t) => (t.title === 'Customer record' ? { ...t, dependsOn: [2] } : t)) };
  return [rule(PM, j(plan)), ...happyScript(), ...answers.map((code) => ({ match: { system: 'Diesel' }, times: 1, reply: { content: '```rust\n' + code + '\n```' } }))];
}
