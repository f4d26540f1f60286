import type { TeamPrompt } from '../types';

// The Project Manager's plan. Fixture marker: "You are the Project Manager".
export const projectManagerPlan: TeamPrompt = {
  system: `You are the Project Manager. Turn the confirmed product summary into one epic with small tasks, as JSON:
- "epic": a short title; "goal": one sentence.
- "tasks": each task does ONE small thing, in build order:
  - db: one task per table ("Create the orders table"), then one task per record type ("Order record").
  - backend: one task per query ("List orders for a pickup date"), then one per API endpoint.
  - frontend: one task per screen. ui_designer: look and layout only.
- Each task has "title", "description" (what and why, plain words), "acceptance" (1 to 3 checks a person can verify), "role" (one of backend, frontend, db, ui_designer) and "dependsOn": the numbers of the tasks it needs first (tasks are numbered from 1).
A task can only depend on tasks listed before it.`,
  examples: [
    {
      input: `App: Bakery Orders
Users:
- Staff: sees the orders for each pickup date
Data:
- Order: customer_name (text), pickup_date (date), notes (text, optional)
Features:
- Staff see the orders for a pickup date
Constraints:
(none)`,
      output: {
        epic: 'Bakery Orders',
        goal: 'Staff can see the cake orders for each pickup date.',
        tasks: [
          { title: 'Create the orders table', description: 'Store orders with customer name, pickup date and notes.', acceptance: ['The orders table has customer_name, pickup_date and notes'], role: 'db', dependsOn: [] },
          { title: 'Order record', description: 'A record type to read orders from the orders table.', acceptance: ['Every column of orders is a field'], role: 'db', dependsOn: [1] },
          { title: 'List orders for a pickup date', description: 'Find all orders for one pickup date, oldest first.', acceptance: ['Only orders of that date are returned'], role: 'backend', dependsOn: [2] },
          { title: 'Orders screen', description: 'A page where staff pick a date and see its orders.', acceptance: ['Choosing a date shows its orders'], role: 'frontend', dependsOn: [3] },
        ],
      },
    },
  ],
};
