// Mounted by `nocodo eval --render` in place of the app: a page that reads the store's rows.
import { For } from 'solid-js';
import { ProductProvider, useProducts } from './state/ProductStore';

function Rows() {
  const { state } = useProducts();
  return (
    <ul>
      <For each={state.rows}>{(p) => <li>{p.name}</li>}</For>
    </ul>
  );
}

export default function StoreView() {
  return (
    <ProductProvider>
      <Rows />
    </ProductProvider>
  );
}
