import { createResource, For } from 'solid-js';
import { dataOrThrow, listCustomers } from '../api/client';

export default function CustomerList() {
  const [customers] = createResource(() => dataOrThrow(listCustomers()));
  return (
    <ul class="menu">
      <For each={customers()}>{(c) => <li>{c.name}</li>}</For>
    </ul>
  );
}
