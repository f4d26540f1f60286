// Mounted by `nocodo eval --render` in place of the app: a page that reads the store's rows.
import { For } from 'solid-js';
import { CustomerProvider, useCustomers } from './state/CustomerStore';

function Rows() {
  const { state } = useCustomers();
  return (
    <ul>
      <For each={state.rows}>{(c) => <li>{c.name}</li>}</For>
    </ul>
  );
}

export default function StoreView() {
  return (
    <CustomerProvider>
      <Rows />
    </CustomerProvider>
  );
}
